"""HTTP and WebSocket controllers."""
