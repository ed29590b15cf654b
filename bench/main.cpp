// greenpulse-bench: the performance harness (see BENCHMARKS.md). Starts its own mosquitto and
// influxd on free loopback ports, runs every measurement, prints a table and then one
// `name=value` line per headline figure. Exit code 1 when a check failed (a message not
// accounted, a drop, a server that did not start); speed targets never fail the run.

#include "AgentBench.h"
#include "BenchBroker.h"
#include "BenchInflux.h"
#include "IngestBench.h"
#include "LatencyBench.h"
#include "MemoryBench.h"
#include "MicroBench.h"
#include "Report.h"
#include "WriteBench.h"
#ifdef GREENPULSE_BENCH_GUI
#include "BenchApplication.h"
#include "GuiBench.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <algorithm>
#include <cstdio>
#include <memory>

using namespace greenpulse::bench;

namespace {

struct Sizes
{
    qint64 ingestMessages = 1'000'000;
    qint64 writeLines = 1'000'000;
    qint64 memoryMessages = 1'000'000;
    int growthSeconds = 300;
    int latencySeconds = 60;
    int guiSimulatedSeconds = 3600;
    int guiLiveSeconds = 60;
    double microMinTime = 0.5;
    // The window with 10,000 hosts (gui10k): a shorter history, as replaying an hour of 10,000
    // hosts takes minutes on 2 cores; 15 minutes fill the default window.
    int gui10kSimulatedSeconds = 900;
    int gui10kLiveSeconds = 60;
    // The host agent (AgentBench): measure() calls in process; two agent runs' samples.
    int agentReads = 20'000;
    int agentShortRun = 200;
    int agentLongRun = 2'200;
    int agentIntervalMs = 5;
};

} // namespace

int main(int argc, char *argv[])
{
#ifdef GREENPULSE_BENCH_GUI
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    BenchApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setApplicationName(QStringLiteral("greenpulse-bench"));
    // The product's info logs (connections, jobs) would drown the table.
    QLoggingCategory::setFilterRules(QStringLiteral("greenpulse.*.info=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("GreenPulse performance harness: ingest, write, accounting, parsing, "
                       "memory, latency and the dashboard, against a real mosquitto and "
                       "influxd. See BENCHMARKS.md."));
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Smaller runs (about 3 minutes)."));
    const QCommandLineOption smoke(
        QStringLiteral("smoke"),
        QStringLiteral("A few thousand messages: checks that everything runs and every "
                       "message is accounted (ctest)."));
    const QCommandLineOption only(
        QStringLiteral("only"),
        QStringLiteral("Comma-separated sections: micro,ingest,write,memory,latency,gui,gui10k,"
                       "agent."),
        QStringLiteral("sections"));
    parser.addOptions({quick, smoke, only});
    parser.process(app);

    Sizes sizes;
    QStringList sections{QStringLiteral("micro"),   QStringLiteral("ingest"),
                         QStringLiteral("write"),   QStringLiteral("memory"),
                         QStringLiteral("latency"), QStringLiteral("gui"),
                         QStringLiteral("gui10k"),  QStringLiteral("agent")};
    if (parser.isSet(smoke)) {
        sizes = {5'000, 20'000, 20'000, 8,
                 3,     120,    3,      0.01}; // 8 s: enough RSS samples (every 250 ms)
        sizes.gui10kSimulatedSeconds = 30;
        sizes.gui10kLiveSeconds = 3;
        sizes.agentReads = 200;
        sizes.agentShortRun = 5;
        sizes.agentLongRun = 25;
    } else if (parser.isSet(quick)) {
        sizes = {200'000, 200'000, 200'000, 40, 15, 3600, 20, 0.2};
        sizes.gui10kLiveSeconds = 20;
        sizes.agentReads = 5'000;
        sizes.agentShortRun = 100;
        sizes.agentLongRun = 1'100;
    }
    if (parser.isSet(only)) {
        sections = parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts);
    }
#ifndef GREENPULSE_BENCH_GUI
    sections.removeAll(QStringLiteral("gui"));
    sections.removeAll(QStringLiteral("gui10k"));
#endif

    QElapsedTimer total;
    total.start();
    Report report;
    report.note(QStringLiteral("run"),
                QStringLiteral("mode %1").arg(parser.isSet(smoke)   ? QStringLiteral("--smoke")
                                              : parser.isSet(quick) ? QStringLiteral("--quick")
                                                                    : QStringLiteral("full")));
    BenchBroker broker;
    BenchInflux influx;
    QString error;
    if (!broker.start(&error)) {
        report.fail(QStringLiteral("setup"), error);
        report.print();
        return 1;
    }
    QString influxUrl;
    // The sections that write (all but micro and agent) need influxd.
    const bool needsInflux = std::any_of(sections.cbegin(), sections.cend(), [](const QString &s) {
        return s != QLatin1String("micro") && s != QLatin1String("agent");
    });
    if (needsInflux) {
        if (influx.start(&error)) {
            influxUrl = influx.url();
        } else {
            report.fail(QStringLiteral("setup"), error);
        }
    }

    if (sections.contains(QStringLiteral("micro"))) {
        MicroBench(report).run(sizes.microMinTime);
    }
    if (sections.contains(QStringLiteral("ingest"))) {
        IngestBench(broker, influxUrl, report).run(sizes.ingestMessages, 1000, 100);
    }
    if (sections.contains(QStringLiteral("write")) && !influxUrl.isEmpty()) {
        WriteBench(influx, report).run(sizes.writeLines);
    }
    if (sections.contains(QStringLiteral("memory"))) {
        MemoryBench(broker, influxUrl, report)
            .run(sizes.memoryMessages, 10'000, 1'000, sizes.growthSeconds);
    }
    if (sections.contains(QStringLiteral("latency"))) {
        LatencyBench(broker, influxUrl, report).run(sizes.latencySeconds, 1000, 1000);
    }
#ifdef GREENPULSE_BENCH_GUI
    if (sections.contains(QStringLiteral("gui"))) {
        GuiBench(QStringLiteral("gui"), broker, app, report)
            .run(1000, 50, sizes.guiSimulatedSeconds, sizes.guiLiveSeconds);
    }
    if (sections.contains(QStringLiteral("gui10k"))) {
        GuiBench(QStringLiteral("gui10k"), broker, app, report)
            .run(10'000, 500, sizes.gui10kSimulatedSeconds, sizes.gui10kLiveSeconds);
    }
#endif
    if (sections.contains(QStringLiteral("agent"))) {
        AgentBench(broker, report)
            .run(sizes.agentReads, sizes.agentShortRun, sizes.agentLongRun, sizes.agentIntervalMs);
    }
    report.add(QStringLiteral("run"), QStringLiteral("harness wall time"),
               static_cast<double>(total.elapsed()) / 1000.0, QStringLiteral("s"),
               QStringLiteral("bench_wall_s"), Report::Goal::None, 0, 1);
    report.print();
    return report.failed() ? 1 : 0;
}
