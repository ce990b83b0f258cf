"""The distinct requests behind one action: where the scheduler makes the same call on other resources
or with other tags, each is a request of its own (read from amazon-sagemaker-jupyter-scheduler 3.2.2).

- S3 on the artifact folders (``ARTIFACT_USES``): the input and output folders may be two buckets
  with prefixes. The person's calls: ``GetBucketLocation`` on both buckets (``ExpectedBucketOwner``),
  ``GetBucketEncryption`` and ``PutObject`` of ``<input>/<job>/input/<notebook>`` (``DeleteObject`` of
  it when a create fails), ``GetObject`` of ``<output>/<job>/output/output.tar.gz`` or, for a scheduled
  run, ``<output>/<definition>/<pipelines-…>/output/output.tar.gz`` (downloading the results),
  ``ListObjectsV2`` on the input bucket (downloading a packaged input folder). ``CreateBucket``,
  ``PutBucketEncryption`` and ``PutBucketVersioning`` only ever touch the default bucket, and only
  matter when a folder uses it. The job's (execution role): it reads its input (``ListBucket``,
  ``GetObject``) and writes ``<output>/<job>/output/…`` (run now) or
  ``<output>/<definition>/pipelines-…/output/…`` (scheduled run).
- Training jobs: "run now" (five tags) and "run from a job definition" (six, with
  ``sagemaker:job-definition-id``) are created by the person; scheduled runs by the pipeline, as the
  execution role, named ``pipelines-…`` with six tags. Reading, stopping, archiving a job concerns
  both run-now and scheduled-run jobs.
- ``sagemaker:AddTags``: a direct call archives a job when it is deleted; creating a training job or a
  pipeline with tags is also authorised as ``sagemaker:AddTags`` on the new resource with
  ``sagemaker:TaggingAction`` = the create operation (a dependent action of both). That holds for the
  execution role too: the pipeline creates a scheduled run's training job as the role, with six tags.
- ``events:PutRule``: creating a schedule sends the five tags; updating one sends none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import COMMON_TAG_KEYS, FIXED_TAGS, JOB_DEFINITION_TAG, REQUEST_TAGS, Tags
from .model import ContextValue, Scope
from .resources import (
    EXAMPLE_DEFINITION_RUN_ID,
    EXAMPLE_JOB_ID,
    EXAMPLE_NOTEBOOK,
    EXAMPLE_PIPELINE_RUN_JOB,
    INPUT_OBJECT_KEY,
    LEGACY_DRIVER_BUCKET,
    LEGACY_DRIVER_OBJECT_KEY,
    OUTPUT_OBJECT_KEY,
)

ARTIFACT_SIDS = frozenset({"S3ArtifactsAccess", "S3ForStoringArtifacts"})
LEGACY_SID = "S3DriverAccess"

# (target, action) -> where on the folders: input-bucket, output-bucket, default-bucket (only when a
# folder uses it), input-object, output-object (run now), pipeline-output-object (scheduled run).
ARTIFACT_USES: dict[tuple[str, str], tuple[str, ...]] = {
    ("identity", "s3:CreateBucket"): ("default-bucket",),
    ("identity", "s3:PutEncryptionConfiguration"): ("default-bucket",),
    ("identity", "s3:PutBucketVersioning"): ("default-bucket",),
    ("identity", "s3:ListBucket"): ("input-bucket",),
    ("identity", "s3:GetBucketLocation"): ("input-bucket", "output-bucket"),
    ("identity", "s3:GetEncryptionConfiguration"): ("input-bucket",),
    ("identity", "s3:PutObject"): ("input-object",),
    ("identity", "s3:DeleteObject"): ("input-object",),
    ("identity", "s3:GetObject"): ("output-object", "pipeline-output-object"),
    ("role", "s3:ListBucket"): ("input-bucket",),
    ("role", "s3:GetObject"): ("input-object",),
    ("role", "s3:PutObject"): ("output-object", "pipeline-output-object"),
    ("role", "s3:GetBucketLocation"): ("input-bucket", "output-bucket"),
}

_BASE = (FIXED_TAGS, COMMON_TAG_KEYS)
_SIX = (FIXED_TAGS, COMMON_TAG_KEYS + (JOB_DEFINITION_TAG,))
_ARCHIVE: Tags = ({"sagemaker:is-studio-archived": "true"}, ("sagemaker:is-studio-archived",))
TAGGING_ACTION = "sagemaker:TaggingAction"


@dataclass(frozen=True)
class Variant:
    """One request of an action: its resource name parts, request tags, extra context and unknown keys.
    ``bucket``/``key`` for S3 (key None for bucket ARNs), ``job_id`` for jobs, pipelines and rules."""

    job_id: str = EXAMPLE_JOB_ID
    bucket: str | None = None
    key: str | None = None
    tags: Tags | None = None
    context: dict[str, ContextValue] = field(default_factory=dict, hash=False)
    unknown: tuple[str, ...] = ()


def _join(prefix: str, key: str) -> str:
    return f"{prefix}/{key}" if prefix else key


def _artifact_variants(target: str, action: str, scope: Scope) -> list[Variant]:
    in_bucket, in_prefix = scope.input_location()
    out_bucket, out_prefix = scope.output_location()
    input_key = _join(in_prefix, INPUT_OBJECT_KEY.format(job_id=EXAMPLE_JOB_ID, notebook=EXAMPLE_NOTEBOOK))
    output_key = _join(out_prefix, OUTPUT_OBJECT_KEY.format(job_id=EXAMPLE_JOB_ID))
    pipeline_key = _join(out_prefix, f"{EXAMPLE_JOB_ID}/{OUTPUT_OBJECT_KEY.format(job_id=EXAMPLE_PIPELINE_RUN_JOB)}")
    uses_default = scope.default_bucket in (in_bucket, out_bucket)
    where = {
        "input-bucket": (in_bucket, None),
        "output-bucket": (out_bucket, None),
        "default-bucket": (scope.default_bucket, None) if uses_default else None,
        "input-object": (in_bucket, input_key),
        "output-object": (out_bucket, output_key),
        "pipeline-output-object": (out_bucket, pipeline_key),
    }
    out: list[Variant] = []
    for use in ARTIFACT_USES.get((target, action), ("input-object",)):
        spot = where[use]
        if spot is not None and all((v.bucket, v.key) != spot for v in out):
            out.append(Variant(bucket=spot[0], key=spot[1]))
    return out


def _dependent_add_tags(create: str, tags: Tags, job_id: str = EXAMPLE_JOB_ID) -> Variant:
    return Variant(job_id=job_id, tags=tags, context={TAGGING_ACTION: create})


def variants(target: str, sid: str, action: str, resource_type: str, scope: Scope) -> list[Variant]:
    """The requests of ``action`` on ``resource_type`` (see the module docstring); [] when the scheduler
    makes none there (the default bucket's set-up while both folders are elsewhere)."""
    default_tags = REQUEST_TAGS.get((target, action))
    if resource_type in ("bucket", "object"):
        if sid == LEGACY_SID:
            return [
                Variant(
                    bucket=LEGACY_DRIVER_BUCKET.format(region=scope.region),
                    key=LEGACY_DRIVER_OBJECT_KEY if resource_type == "object" else None,
                )
            ]
        return _artifact_variants(target, action, scope)
    if target == "identity":
        if action == "events:PutRule":
            return [Variant(tags=default_tags), Variant(tags=None)]  # create a schedule, then update it
        if resource_type == "training-job":
            if action == "sagemaker:CreateTrainingJob":
                return [Variant(tags=_BASE), Variant(job_id=EXAMPLE_DEFINITION_RUN_ID, tags=_SIX)]
            if action == "sagemaker:AddTags":
                return [
                    Variant(tags=_ARCHIVE, unknown=(TAGGING_ACTION,)),
                    Variant(job_id=EXAMPLE_PIPELINE_RUN_JOB, tags=_ARCHIVE, unknown=(TAGGING_ACTION,)),
                    _dependent_add_tags("CreateTrainingJob", _BASE),
                    _dependent_add_tags("CreateTrainingJob", _SIX, EXAMPLE_DEFINITION_RUN_ID),
                ]
            return [Variant(tags=default_tags), Variant(job_id=EXAMPLE_PIPELINE_RUN_JOB, tags=default_tags)]
        if resource_type == "pipeline" and action == "sagemaker:AddTags":
            return [_dependent_add_tags("CreatePipeline", _BASE)]
    if target == "role" and action == "sagemaker:AddTags":
        # Only the dependent tagging of the training job the pipeline creates; the role tags no pipeline.
        if resource_type == "training-job":
            return [_dependent_add_tags("CreateTrainingJob", _SIX, EXAMPLE_PIPELINE_RUN_JOB)]
        return []
    if target == "role" and resource_type == "training-job":
        return [Variant(job_id=EXAMPLE_PIPELINE_RUN_JOB, tags=_SIX)]
    return [Variant(tags=default_tags)]
