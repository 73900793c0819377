"""Project configuration: settings, URL routes and the WSGI entry point."""
