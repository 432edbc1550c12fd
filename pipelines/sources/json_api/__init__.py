"""A generic paginated JSON API over HTTP, with its records located and mapped by configuration."""
