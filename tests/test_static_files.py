"""The production static pipeline (WhiteNoise manifest storage) collects every file: a vendored
library referring to a file we did not ship would break the run command at start."""
import subprocess
import sys

from .processes import ROOT


def test_collectstatic_with_the_manifest_storage(tmp_path):
    import os

    env = {**os.environ, "STATIC_ROOT": str(tmp_path / "static"),
           "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
