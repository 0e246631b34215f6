# Roll the ingest workers so they pick up the rotated database credential.
kubectl --context prod-eu-1 -n cost-explorer rollout restart deployment/ingest-worker
kubectl --context prod-eu-1 -n cost-explorer rollout status deployment/ingest-worker --timeout=10m
kubectl --context prod-eu-1 -n cost-explorer get pods -l app=ingest-worker -o wide
