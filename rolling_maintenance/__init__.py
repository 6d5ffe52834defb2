"""Zero-downtime rolling maintenance of OpenStack compute hosts."""
