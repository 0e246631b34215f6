#!/bin/sh
# Regenerates the git and diff(1) patches of tests/data/diff/ from scratch
# repositories (git 2.39, GNU diffutils). The outputs are checked in so the
# parser tests do not depend on the installed git's exact output.
# Usage: sh tests/data/diff/make-patches.sh   (from anywhere)
set -eu
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_DATE="2026-11-20T10:00:00Z" GIT_COMMITTER_DATE="2026-11-20T10:00:00Z"
export TZ=UTC LC_ALL=C

cd "$work" && mkdir repo && cd repo
git init -q && git config user.email agent@example.com && git config user.name "Deploy Agent"
git config core.quotePath true
seq 1 40 | sed 's/^/line /' > config.txt
printf 'replicas: 6\nimage: api:2.14.0\n' > deploy.yaml
printf '#!/bin/sh\necho run\n' > run.sh
printf 'old\n' > obsolete.txt
printf 'x\n' > 'sp ace é.txt'
printf '\000\001\002\003' > blob.bin
seq 1 30 | sed 's/^/source line /' > original.c
git add -A && git commit -q -m "Initial layout"

# rename + modify, copy, mode change, new/deleted/empty files, quoted names, binary
git mv config.txt settings.txt
sed -i 's/^line 40$/line forty/' settings.txt
cp original.c copied.c && echo "extra" >> copied.c
chmod +x run.sh
printf 'replicas: 2\nimage: api:2.15.0-rc1\n' > deploy.yaml
git rm -q obsolete.txt
printf 'fresh\n' > new.txt
: > empty.txt
git mv 'sp ace é.txt' 'tab	and ü.txt'
printf '\000\001\002\004' > blob.bin
printf 'last line without newline' > nonl.txt
git add -A
git diff --cached -M -C --find-copies-harder > "$out/git-all-kinds.patch"
git diff --cached -M -C --find-copies-harder --binary > "$out/git-binary-literal.patch"
git commit -q -m "Scale checkout-api down and rename config

The deploy agent proposes this change.
--- not a file header
+++ not either
-- not a signature"
printf 'last line without newline, changed' > nonl.txt
printf 'replicas: 3\nimage: api:2.15.0-rc1\n' > deploy.yaml
git commit -q -a -m "Second step"
git format-patch -q -2 --stdout > "$out/git-format-patch.mbox"
git log -p -2 --stat > "$out/git-log-p.txt"

cd "$work" && mkdir -p old new
seq 1 12 > old/numbers.txt
seq 1 12 | sed 's/^7$/seven/' > new/numbers.txt
printf 'gone\n' > old/removed.txt
printf 'born\n' > new/added.txt
(diff -u old/numbers.txt new/numbers.txt || true) > "$out/diff-u.patch"
(diff -ruN old new || true) > "$out/diff-u-N.patch"

# kubectl diff: GNU diff -u -N over LIVE-*/MERGED-* directories named
# <group>.<version>.<Kind>.<namespace>.<name> (empty namespace for cluster scope).
mkdir -p LIVE-1207 MERGED-5519
printf 'kind: ClusterRole\nrules:\n- verbs: ["get"]\n' > LIVE-1207/rbac.authorization.k8s.io.v1.ClusterRole..checkout-reader
printf 'kind: ClusterRole\nrules:\n- verbs: ["get", "list"]\n' > MERGED-5519/rbac.authorization.k8s.io.v1.ClusterRole..checkout-reader
printf 'spec:\n  maxReplicas: 10\n' > LIVE-1207/autoscaling.v2beta2.HorizontalPodAutoscaler.prod.checkout.api.v2
printf 'spec:\n  maxReplicas: 4\n' > MERGED-5519/autoscaling.v2beta2.HorizontalPodAutoscaler.prod.checkout.api.v2
printf 'kind: Namespace\n' > MERGED-5519/v1.Namespace..payments-canary
(diff -u -N LIVE-1207 MERGED-5519 || true) > "$out/kubectl-cluster-scoped.diff"
