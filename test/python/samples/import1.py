# Imports bind their top-level name or alias; relative and __future__ imports too.
# defines: annotations os np path sub models helper
# reads:
from __future__ import annotations
import os.path
import numpy as np
from os import path
from .pkg import sub
from . import models
from ..lib.helpers import (helper)
