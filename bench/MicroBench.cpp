#include "MicroBench.h"

#include "Report.h"
#include "Sys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace greenpulse::bench {

void MicroBench::run(double minTimeSeconds)
{
    const QString section = QStringLiteral("micro");
    const QString exe = sys::findProgram(QStringLiteral("greenpulse-microbench"));
    if (exe.isEmpty()) {
        m_report.fail(section, QStringLiteral("greenpulse-microbench not found"));
        return;
    }
    QProcess process;
    process.start(exe, {QStringLiteral("--benchmark_format=json"),
                        QStringLiteral("--benchmark_min_time=%1").arg(minTimeSeconds)});
    if (!process.waitForFinished(120000) || process.exitCode() != 0) {
        m_report.fail(section, QStringLiteral("greenpulse-microbench failed: ") +
                                   QString::fromUtf8(process.readAllStandardError()));
        return;
    }
    const QJsonArray benchmarks = QJsonDocument::fromJson(process.readAllStandardOutput())
                                      .object()
                                      .value(QLatin1String("benchmarks"))
                                      .toArray();
    struct Wanted
    {
        const char *name;
        const char *label;
        const char *key;
    };
    const Wanted wanted[] = {
        {"BM_DecodePower", "parsing alone: decode() of a power message", "parse_ns_per_msg"},
        {"BM_LedgerAddPower", "accounting alone: Ledger::addPower()", "accounting_ns_per_msg"},
        {"BM_ProcessorHandleMessage", "both: Processor::handleMessage()", "handle_ns_per_msg"},
    };
    for (const Wanted &w : wanted) {
        bool found = false;
        for (const QJsonValue &value : benchmarks) {
            const QJsonObject b = value.toObject();
            if (b.value(QLatin1String("name")).toString() != QLatin1String(w.name)) {
                continue;
            }
            double ns = b.value(QLatin1String("cpu_time")).toDouble();
            const QString unit = b.value(QLatin1String("time_unit")).toString();
            if (unit == QLatin1String("us")) {
                ns *= 1e3;
            } else if (unit == QLatin1String("ms")) {
                ns *= 1e6;
            }
            m_report.add(section, QLatin1String(w.label), ns, QStringLiteral("ns/msg"),
                         QLatin1String(w.key), Report::Goal::None, 0, 0);
            found = true;
        }
        if (!found) {
            m_report.fail(section, QStringLiteral("no result for %1").arg(QLatin1String(w.name)));
        }
    }
}

} // namespace greenpulse::bench
