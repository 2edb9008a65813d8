"""The WSGI entry point: `flask` finds `app` here, and gunicorn serves `app:app`."""
from meetup import create_app

app = create_app()
