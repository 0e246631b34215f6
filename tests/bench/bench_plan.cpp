// Benchmark (DESIGN §10): parse + summary of a generated Terraform plan of
// 20,000 resources against `jq '.resource_changes | length'` on the same file,
// in the same run, medians of 5 (runs interleaved so that machine noise hits
// both alike). Prints the ratio; target ≤ 1.0×.
//
//   bench_plan [--scale S] [--runs N]
//
// --scale 0.01 (the smoke run) uses 1/100 of the resources and asserts no
// timing. At full size a ratio above 1.0 fails. Without jq the anchor is
// missing: the smoke run says so and passes, the full run is skipped (77).

#include "plan/planparser.h"
#include "plan/plansummary.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hp;

namespace {

constexpr int kFullSize = 20000;

enum class Kind { NoOp, Update, Create, Replace, Delete, Read };

Kind kindOf(int i)
{
    const int k = i % 100;
    if (k < 60)
        return Kind::NoOp;
    if (k < 85)
        return Kind::Update;
    if (k < 93)
        return Kind::Create;
    if (k < 97)
        return Kind::Replace;
    if (k < 99)
        return Kind::Delete;
    return Kind::Read;
}

QByteArray num(qint64 n)
{
    return QByteArray::number(n);
}

// Module instance of resource i: every tenth lives in module.app[k].
QByteArray modulePrefix(int i)
{
    return i % 10 == 9 ? "module.app[" + num(i % 7) + "]." : QByteArray();
}

QByteArray address(int i)
{
    return modulePrefix(i) + (kindOf(i) == Kind::Read ? "data.aws_ami.r" : "aws_instance.r") + num(i);
}

// The attributes of an instance, in one of two generations.
QByteArray values(int i, int generation, bool withId)
{
    const QByteArray gen = num(generation);
    QByteArray v = "{";
    if (withId)
        v += "\"id\":\"i-" + num(1000000 + i) + "\",";
    v += "\"ami\":\"ami-" + num(4000 + generation) + "\",\"instance_type\":\"" + (generation ? "m5.large" : "t3.micro")
       + "\",\"tags\":{\"Name\":\"node-" + num(i) + "\",\"env\":\"production\",\"team\":\"cost-" + num(i % 13)
       + "\"},\"root_block_device\":[{\"volume_size\":" + num(20 + generation * 10)
       + ",\"volume_type\":\"gp3\",\"encrypted\":true,\"iops\":3000}],\"network_interface\":[{\"subnet_id\":\"subnet-"
       + num(i % 50) + "\",\"security_groups\":[\"sg-1\",\"sg-" + num(i % 9) + "\"],\"device_index\":0}],"
         "\"metadata_options\":{\"http_tokens\":\"required\",\"http_endpoint\":\"enabled\",\"hop_limit\":2},"
         "\"user_data\":\"#!/bin/sh\\necho generation "
       + gen + " > /etc/gen\\nsystemctl restart app-" + num(i % 17) + "\\n\"";
    if (i % 50 == 7)
        v += ",\"password\":\"generated-Secret-" + num(i) + "-" + gen + "\"";
    return v + "}";
}

QByteArray sensitiveMask(int i)
{
    return i % 50 == 7 ? "{\"password\":true,\"tags\":{}}" : "{\"tags\":{},\"root_block_device\":[{}]}";
}

QByteArray resourceChange(int i)
{
    const Kind kind = kindOf(i);
    const QByteArray addr = address(i);
    const bool data = kind == Kind::Read;
    QByteArray actions, before = values(i, 0, true), after = values(i, 0, true), unknown = "{}", extra;
    switch (kind) {
    case Kind::NoOp: actions = "[\"no-op\"]"; break;
    case Kind::Update: actions = "[\"update\"]"; after = values(i, 1, true); break;
    case Kind::Create: actions = "[\"create\"]"; before = "null"; after = values(i, 1, false); unknown = "{\"id\":true}"; break;
    case Kind::Replace:
        actions = "[\"delete\",\"create\"]";
        after = values(i, 1, false);
        unknown = "{\"id\":true}";
        extra = ",\"replace_paths\":[[\"ami\"]]";
        break;
    case Kind::Delete: actions = "[\"delete\"]"; after = "null"; break;
    case Kind::Read: actions = "[\"read\"]"; before = "null"; unknown = "{\"id\":true}"; break;
    }
    QByteArray rc = "{\"address\":\"" + addr + "\",";
    if (!modulePrefix(i).isEmpty())
        rc += "\"module_address\":\"" + modulePrefix(i).chopped(1) + "\",";
    rc += QByteArray("\"mode\":\"") + (data ? "data" : "managed") + "\",\"type\":\"" + (data ? "aws_ami" : "aws_instance")
        + "\",\"name\":\"r" + num(i) + "\",\"provider_name\":\"registry.terraform.io/hashicorp/aws\",\"change\":{\"actions\":"
        + actions + ",\"before\":" + before + ",\"after\":" + after + ",\"after_unknown\":" + unknown
        + ",\"before_sensitive\":" + (before == "null" ? QByteArray("false") : sensitiveMask(i))
        + ",\"after_sensitive\":" + (after == "null" ? QByteArray("false") : sensitiveMask(i)) + extra + "}";
    if (kind == Kind::Replace)
        rc += ",\"action_reason\":\"replace_because_cannot_update\"";
    if (kind == Kind::Delete)
        rc += ",\"action_reason\":\"delete_because_no_resource_config\"";
    return rc + "}";
}

QByteArray configResource(int i)
{
    const QByteArray upstream = "aws_instance.r" + num(std::max(0, i - 1 - i % 5));
    return "{\"address\":\"aws_instance.r" + num(i)
         + "\",\"mode\":\"managed\",\"type\":\"aws_instance\",\"name\":\"r" + num(i)
         + "\",\"provider_config_key\":\"aws\",\"expressions\":{\"ami\":{\"references\":[\"var.ami\"]},"
           "\"instance_type\":{\"constant_value\":\"t3.micro\"},\"network_interface\":[{\"subnet_id\":{\"references\":[\""
         + upstream + ".id\",\"" + upstream + "\"]}}],\"tags\":{\"constant_value\":{\"env\":\"production\"}}},"
           "\"schema_version\":1,\"depends_on\":[\"" + upstream + "\"]}";
}

QByteArray generatePlan(int n)
{
    QByteArray out;
    out.reserve(qsizetype(n) * 4000);
    out += "{\"format_version\":\"1.2\",\"terraform_version\":\"1.11.4\",\"variables\":{\"ami\":{\"value\":\"ami-4001\"}},"
           "\"planned_values\":{\"root_module\":{\"resources\":[";
    for (int i = 0; i < n; ++i)
        out += (i ? "," : "") + QByteArray("{\"address\":\"") + address(i) + "\",\"mode\":\"managed\",\"type\":"
             "\"aws_instance\",\"name\":\"r" + num(i) + "\",\"values\":" + values(i, 1, true) + ",\"sensitive_values\":"
             + sensitiveMask(i) + "}";
    out += "]}},\"resource_changes\":[";
    for (int i = 0; i < n; ++i)
        out += (i ? "," : "") + resourceChange(i);
    out += "],\"prior_state\":{\"format_version\":\"1.0\",\"values\":{\"root_module\":{\"resources\":[";
    for (int i = 0; i < n; ++i)
        out += (i ? "," : "") + QByteArray("{\"address\":\"") + address(i) + "\",\"mode\":\"managed\",\"type\":"
             "\"aws_instance\",\"name\":\"r" + num(i) + "\",\"values\":" + values(i, 0, true) + ",\"sensitive_values\":"
             + sensitiveMask(i) + ",\"depends_on\":[\"aws_instance.r" + num(std::max(0, i - 1)) + "\"]}";
    out += "]}}},\"configuration\":{\"provider_config\":{\"aws\":{\"name\":\"aws\"}},\"root_module\":{\"resources\":[";
    for (int i = 0; i < n; ++i)
        out += (i ? "," : "") + configResource(i);
    out += "],\"variables\":{\"ami\":{\"default\":\"ami-4000\"}}}},\"timestamp\":\"2026-11-23T22:00:00Z\","
           "\"applyable\":true,\"complete\":true,\"errored\":false}";
    return out;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// ms for parse + summary; -1 on failure.
double runOurs(const QString &path, int expected)
{
    QElapsedTimer t;
    t.start();
    auto plan = PlanParser().parseFile(path);
    if (!plan) {
        std::fprintf(stderr, "parse failed: %s\n", qPrintable(plan.error().message));
        return -1;
    }
    const PlanSummary summary = summarizePlan(*plan);
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (int(plan->resourceChanges.size()) != expected || summary.counts.replace == 0) {
        std::fprintf(stderr, "unexpected result: %d resources, %s\n", int(plan->resourceChanges.size()),
                     qPrintable(summary.line));
        return -1;
    }
    return ms;
}

double runJq(const QString &jq, const QString &path, int expected)
{
    QElapsedTimer t;
    QProcess p;
    t.start();
    p.start(jq, {QStringLiteral(".resource_changes | length"), path});
    if (!p.waitForFinished(-1) || p.exitCode() != 0)
        return -1;
    const double ms = double(t.nsecsElapsed()) / 1e6;
    return p.readAllStandardOutput().trimmed().toInt() == expected ? ms : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double scale = 1.0;
    int runs = 5;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--scale"))
            scale = args[i + 1].toDouble();
        else if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    const bool smoke = scale < 1.0;
    const int n = std::max(10, int(kFullSize * scale));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("plan.json"));
    QFile f(path);
    const QByteArray json = generatePlan(n);
    if (!dir.isValid() || !f.open(QIODevice::WriteOnly) || f.write(json) != json.size()) {
        std::fprintf(stderr, "cannot write the generated plan\n");
        return 1;
    }
    f.close();
    std::printf("bench_plan: %d resources, %.1f MiB\n", n, double(json.size()) / (1 << 20));

    const QString jq = QStandardPaths::findExecutable(QStringLiteral("jq"));
    std::vector<double> ours, anchor;
    for (int r = 0; r < runs; ++r) {
        ours.push_back(runOurs(path, n));
        if (!jq.isEmpty())
            anchor.push_back(runJq(jq, path, n));
        if (ours.back() < 0 || (!anchor.empty() && anchor.back() < 0)) {
            std::fprintf(stderr, "bench_plan: a run failed\n");
            return 1;
        }
    }
    std::printf("parse + summary: median %.1f ms of %d runs\n", median(ours), runs);
    if (jq.isEmpty()) {
        std::printf("jq not found: no anchor to compare with, no ratio\n");
        return smoke ? 0 : 77;
    }
    const double ratio = median(ours) / median(anchor);
    std::printf("jq '.resource_changes | length': median %.1f ms\n", median(anchor));
    std::printf("ratio: %.3fx (target <= 1.0x)%s\n", ratio, smoke ? " [smoke: not asserted]" : "");
    return smoke || ratio <= 1.0 ? 0 : 1;
}
