"""The jupyter_server extension: the HTTP side's settings (traitlets), its worker threads, the routes.

The settings of the checks and fixes themselves (profile, region, policy name, state directory, the
bound on AWS calls, deadlines) live on the service, ``NbJobIamService``, which uses them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from jupyter_server.extension.application import ExtensionApp
from traitlets import Integer, Type, Unicode

from . import __version__
from .aws.log_scrub import install_log_scrubbing
from .handlers import LANES, route_table
from .service import NbJobIamService


class NbJobIamApp(ExtensionApp):
    """Checks and fixes the IAM permissions SageMaker notebook jobs need.

    Configure it in ``jupyter_server_config.py``, e.g. ``c.NbJobIamApp.max_workers = 8`` and
    ``c.NbJobIamService.inline_policy_name = "TeamNotebookJobs"``.
    """

    name = "jupyter_nbjob_iam"
    version = __version__
    description = __doc__
    load_other_extensions = True

    max_workers = Integer(
        8,
        config=True,
        help="Requests that call AWS (check, plan, identity, roles) served at once; more wait their turn. "
        "Their AWS calls share NbJobIamService.aws_max_concurrency. Requests that make no AWS call, "
        "and apply/undo, have threads of their own, so they never queue behind these.",
    )
    fix_workers = Integer(
        2,
        config=True,
        help="Apply and undo requests (with their verification waits) served at once, apart from checks.",
    )

    backup_dir = Unicode(
        "",
        config=True,
        help="Deprecated: the one setting for plans and backups is NbJobIamService.state_dir.",
    )

    service_class = Type(
        default_value=NbJobIamService,
        klass=NbJobIamService,
        config=True,
        help="The service behind the REST API (tests swap in a fault-injecting one).",
    )

    def initialize_settings(self) -> None:
        install_log_scrubbing()
        sizes = {"local": 2, "aws": max(1, self.max_workers), "fix": max(1, self.fix_workers)}
        self.settings["nbjob_iam_executors"] = {
            lane: ThreadPoolExecutor(max_workers=sizes[lane], thread_name_prefix=f"nbjob-iam-{lane}") for lane in LANES
        }
        service = self.service_class(parent=self)
        if self.backup_dir and not service.state_dir:
            self.log.warning("NbJobIamApp.backup_dir is deprecated: set NbJobIamService.state_dir instead.")
            service.state_dir = self.backup_dir
        self.settings["nbjob_iam_service"] = service

    def initialize_handlers(self) -> None:
        self.handlers.extend(route_table())

    async def stop_extension(self) -> None:
        for executor in (self.settings.get("nbjob_iam_executors") or {}).values():
            executor.shutdown(wait=False, cancel_futures=True)
        service = self.settings.get("nbjob_iam_service")
        if service is not None:
            service.close()
