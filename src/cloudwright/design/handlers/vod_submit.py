"""Video on demand: an S3 "Object Created" event (EventBridge) for uploads/ starts a MediaConvert job
from the stack's job template, whose HLS output group writes the renditions under video/ in the site's
content bucket.
"""

import os
import urllib.parse

import boto3

_CLIENT = None


def _mediaconvert():
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = boto3.client("mediaconvert")
    return _CLIENT


def handler(event, context):
    detail = event.get("detail") or {}
    bucket = (detail.get("bucket") or {}).get("name")
    key = urllib.parse.unquote_plus((detail.get("object") or {}).get("key") or "")
    if not bucket or not key.startswith("uploads/") or key.endswith("/"):
        return {"started": False}
    name = key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    job = _mediaconvert().create_job(
        Role=os.environ["MEDIACONVERT_ROLE"],
        JobTemplate=os.environ["JOB_TEMPLATE"],
        Settings={"Inputs": [{"FileInput": f"s3://{bucket}/{key}"}]},
        UserMetadata={"name": name[:256]},
    )
    return {"started": True, "jobId": job["Job"]["Id"]}
