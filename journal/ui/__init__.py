"""The Qt desktop app. Thin: it shows state and calls core operations."""
