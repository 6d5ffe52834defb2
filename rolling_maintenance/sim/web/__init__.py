"""The simulated cloud's HTTP side: Keystone, Nova, Aodh and control APIs."""
