"""Our own input channels (referenced from credentials.yml by module path).

Each one fixes a defect of Rasa 3.6.21's stock channel by subclassing it, never
by patching site-packages: see each module's docstring.
"""
