"""gunicorn settings of one server process in a scale-out deployment (docs/deploy.md), Linux only.

    DATABASE_URL=... SOCKETIO_MESSAGE_QUEUE=redis://... PORT=5001 gunicorn -c gunicorn.conf.py wsgi:app
"""
import os

# Flask-SocketIO keeps a client's session in the process that accepted it: one worker per
# process; more processes go behind the balancer, sticky by cookie.
workers = 1
# gevent with gevent-websocket's handler, as `python wsgi.py` serves; the worker monkey-patches
# before it imports the app, so psycopg and redis wait cooperatively.
worker_class = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"
# gunicorn's default of 1,000 would cap the viewers one process can hold.
worker_connections = 10000
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5001')}"
graceful_timeout = 5
# Not used here; gunicorn would otherwise create ~/.gunicorn/gunicorn.ctl.
control_socket_disable = True
