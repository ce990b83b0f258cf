"""The jupyter_server extension: configuration (traitlets) and handler registration."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from jupyter_server.extension.application import ExtensionApp
from traitlets import Integer, Type, Unicode

from . import __version__
from .aws.log_scrub import install_log_scrubbing
from .handlers import route_table
from .service import NbJobIamService


class NbJobIamApp(ExtensionApp):
    """Checks and fixes the IAM permissions SageMaker notebook jobs need.

    Configure it in ``jupyter_server_config.py``, e.g.
    ``c.NbJobIamApp.inline_policy_name = "TeamNotebookJobs"``.
    """

    name = "jupyter_nbjob_iam"
    version = __version__
    description = __doc__
    load_other_extensions = True

    default_profile = Unicode(None, allow_none=True, config=True, help="AWS profile to use when the panel names none.")
    default_region = Unicode(
        None,
        allow_none=True,
        config=True,
        help="AWS region to use when the panel names none (else the scheduler's resolution order).",
    )
    inline_policy_name = Unicode(
        "SageMakerNotebookJobs",
        config=True,
        help="Name of the inline policy this tool owns and adds required statements to.",
    )
    backup_dir = Unicode(
        "",
        config=True,
        help="Where backups of overwritten IAM documents are kept (default: Jupyter's data dir).",
    )
    max_workers = Integer(8, config=True, help="Threads for AWS calls; boto3 never runs on the Tornado event loop.")

    service_class = Type(
        default_value=NbJobIamService,
        klass=NbJobIamService,
        config=True,
        help="The service behind the REST API (tests swap in a fault-injecting one).",
    )

    def initialize_settings(self) -> None:
        install_log_scrubbing()
        self.settings["nbjob_iam_executor"] = ThreadPoolExecutor(
            max_workers=self.max_workers, thread_name_prefix="nbjob-iam"
        )
        self.settings["nbjob_iam_service"] = self.service_class(parent=self, app=self)

    def initialize_handlers(self) -> None:
        self.handlers.extend(route_table())

    async def stop_extension(self) -> None:
        executor = self.settings.get("nbjob_iam_executor")
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
