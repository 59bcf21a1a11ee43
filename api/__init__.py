"""The HTTP API and the web page: a thin shell over ``assistant`` (see ``api.app``)."""
