# Purge cost-report snapshots older than 90 days from the reports bucket.
# Run by ops-agent from the bastion with the reports-maintenance role.
set -euo pipefail
export AWS_REGION=eu-central-1
aws s3 ls s3://cost-explorer-reports-prod/snapshots/ --recursive | awk '$1 < "2026-08-25" {print $4}' > /tmp/stale-snapshots.txt
wc -l /tmp/stale-snapshots.txt
xargs -a /tmp/stale-snapshots.txt -n 500 -I{} aws s3 rm "s3://cost-explorer-reports-prod/{}"
aws s3api put-bucket-lifecycle-configuration --bucket cost-explorer-reports-prod --lifecycle-configuration file://lifecycle-90d.json
