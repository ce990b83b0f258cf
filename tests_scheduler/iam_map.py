"""Each recorded AWS call -> the IAM requests it is authorized as (action, resource, PassedToService).

Written from AWS's Service Authorization Reference, by hand, for the operations the scheduler calls:
- S3 operations whose action name differs: HeadBucket and ListObjectsV2 -> ``s3:ListBucket``,
  PutBucketEncryption -> ``s3:PutEncryptionConfiguration``, GetBucketEncryption ->
  ``s3:GetEncryptionConfiguration``.
- SageMaker CreateTrainingJob/CreatePipeline with ``Tags`` are also authorized as ``sagemaker:AddTags``
  (a dependent action, condition key ``sagemaker:TaggingAction``), and pass ``RoleArn`` to SageMaker:
  ``iam:PassRole`` with ``iam:PassedToService = sagemaker.amazonaws.com``.
- EventBridge PutTargets with a target ``RoleArn`` passes it to EventBridge (``events.amazonaws.com``).
  PutRule with ``Tags`` is authorized on ``events:PutRule`` itself (``aws:RequestTag``), not TagResource.
- ``sts:GetCallerIdentity`` needs no permission, so it maps to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from recorder import Call

S3_ACTIONS = {
    "HeadBucket": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket",
    "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
}
S3_OBJECT_APIS = {"PutObject", "GetObject", "DeleteObject"}
NO_PERMISSION = {("sts", "GetCallerIdentity")}


@dataclass(frozen=True)
class IamRequest:
    action: str
    resource: str
    passed_to_service: str | None = None


def iam_requests(call: Call, *, account: str, region: str, partition: str = "aws") -> list[IamRequest]:
    if (call.service, call.api) in NO_PERMISSION:
        return []
    p = call.params
    if call.service == "s3":
        action = S3_ACTIONS.get(call.api, f"s3:{call.api}")
        if call.api in S3_OBJECT_APIS:
            return [IamRequest(action, f"arn:{partition}:s3:::{p['Bucket']}/{p['Key']}")]
        return [IamRequest(action, f"arn:{partition}:s3:::{p['Bucket']}")]
    if call.service == "iam":
        return [IamRequest(f"iam:{call.api}", "*")]
    if call.service == "events":
        rule = p.get("Name") or p.get("Rule")
        arn = f"arn:{partition}:events:{region}:{account}:rule/{rule}"
        out = [IamRequest(f"events:{call.api}", arn)]
        for target in p.get("Targets", []) if call.api == "PutTargets" else []:
            if target.get("RoleArn"):
                out.append(IamRequest("iam:PassRole", target["RoleArn"], "events.amazonaws.com"))
        return out
    if call.service == "sagemaker":
        sm = f"arn:{partition}:sagemaker:{region}:{account}"
        if call.api == "Search":
            return [IamRequest("sagemaker:Search", "*")]
        if call.api in ("ListTags", "AddTags"):
            return [IamRequest(f"sagemaker:{call.api}", p["ResourceArn"])]
        if "TrainingJobName" in p:
            arn = f"{sm}:training-job/{p['TrainingJobName']}"
        elif "PipelineName" in p:
            arn = f"{sm}:pipeline/{p['PipelineName']}"
        else:
            raise AssertionError(f"no IAM mapping for sagemaker:{call.api}: add it to iam_map.py")
        out = [IamRequest(f"sagemaker:{call.api}", arn)]
        if call.api.startswith("Create"):
            if p.get("Tags"):
                out.append(IamRequest("sagemaker:AddTags", arn))
            if p.get("RoleArn"):
                out.append(IamRequest("iam:PassRole", p["RoleArn"], "sagemaker.amazonaws.com"))
        return out
    raise AssertionError(f"no IAM mapping for {call.service}:{call.api}: add it to iam_map.py")
