"""Aodh's API as a WSGI application on the configuration file in $AODH_CONFIG_FILE.

(aodh.wsgi.api takes no path to a configuration file.)
"""

import os

from aodh.api import app

application = app.build_wsgi_app(argv=["--config-file", os.environ["AODH_CONFIG_FILE"]])
