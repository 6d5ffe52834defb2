"""The demo: a maintenance of a simulated cloud on the embedded Mistral."""
