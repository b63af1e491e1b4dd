"""Development tools, never imported by the production service.

- `embedded`: real PostgreSQL, Redis and MongoDB-wire servers from pip packages, started by
  `restaurant serve` (`make run`) when no store URL is configured, and by the tests.
- `stack`: `make stack`, compose.yaml's topology (Caddy, app processes, the stores) as local
  processes, also what the browser journeys run against.

The service imports them lazily, only on the paths that need them; a test checks that importing
`restaurant.app` imports nothing from here.
"""
