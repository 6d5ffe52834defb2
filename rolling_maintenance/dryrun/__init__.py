"""What a maintenance session would do, worked out without touching the cloud."""
