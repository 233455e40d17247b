"""jcmwb: a Jupyter workbench for Joint Crediting Mechanism (JCM) monitoring calculations.

``jcmwb.calculate(path_or_mapping)`` is the engine every notebook, app and command calls.
"""

from jcmwb.engine.compute import Result, calculate
from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.spec import catalogue, load_spec

__version__ = "0.1.0"

__all__ = ["JcmwbError", "Result", "__version__", "calculate", "catalogue", "load_spec"]
