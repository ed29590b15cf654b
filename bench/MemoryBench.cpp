#include "MemoryBench.h"

#include "BenchBroker.h"
#include "PowerFeed.h"
#include "ProcessorChild.h"
#include "Report.h"
#include "StreamFeeder.h"
#include "Sys.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <algorithm>
#include <numeric>
#include <vector>

namespace greenpulse::bench {

namespace {
const QString kSection = QStringLiteral("memory");
constexpr int kSampleIntervalMs = 250; // VmRSS sampling during the long run
} // namespace

MemoryBench::MemoryBench(BenchBroker &broker, QString influxUrl, Report &report)
    : m_broker(broker), m_influxUrl(std::move(influxUrl)), m_report(report)
{}

void MemoryBench::run(qint64 messages, int hosts, int jobs, int growthSeconds)
{
    runPeak(messages, hosts, jobs);
    runGrowth(hosts, jobs, growthSeconds);
}

void MemoryBench::runPeak(qint64 messages, int hosts, int jobs)
{
    QTemporaryDir dir;
    const qint64 rounds = (messages + hosts - 1) / hosts;
    const PowerFeed feed(hosts, jobs, static_cast<qint64>(sys::wallSeconds()) - rounds - 60);
    const QString file = dir.filePath(QStringLiteral("burst.txt"));
    QString error;
    ProcessorChild child;
    if (!feed.writeFile(file, messages, &error) ||
        !child.start(m_broker.url(), m_influxUrl, &error)) {
        m_report.fail(kSection, error);
        return;
    }
    const qint64 idleKb = sys::procStatusKb(child.pid(), "VmRSS");
    QProcess pub;
    pub.setStandardInputFile(file);
    pub.start(sys::findProgram(QStringLiteral("mosquitto_pub")),
              {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
               QString::number(m_broker.port()), QStringLiteral("-t"),
               QString::fromLatin1(PowerFeed::topic()), QStringLiteral("-q"), QStringLiteral("0"),
               QStringLiteral("-l")});
    QElapsedTimer timer;
    timer.start();
    const bool done = sys::waitUntil([&] { return child.accepted() >= messages; }, 300000);
    sys::spin(1500); // a few ticks with every host and job present
    const qint64 peakKb = sys::procStatusKb(child.pid(), "VmHWM");
    pub.waitForFinished(10000);
    const QJsonObject out = child.stop();
    const qint64 accepted = out.value(QLatin1String("counters"))
                                .toObject()
                                .value(QLatin1String("accepted"))
                                .toInteger();
    if (!done || accepted != messages) {
        m_report.fail(kSection, QStringLiteral("greenpulse-processor accounted %1 of %2 messages")
                                    .arg(accepted)
                                    .arg(messages));
    } else {
        m_report.note(kSection,
                      QStringLiteral("greenpulse-processor accounted all %1 messages of %2 hosts "
                                     "and %3 jobs (in %4 s)")
                          .arg(messages)
                          .arg(hosts)
                          .arg(jobs)
                          .arg(static_cast<double>(timer.elapsed()) / 1000.0, 0, 'f', 1));
    }
    m_report.add(kSection, QStringLiteral("greenpulse-processor RSS at start"),
                 static_cast<double>(idleKb) / 1024.0, QStringLiteral("MB"), {}, Report::Goal::None,
                 0, 1);
    m_report.add(kSection, QStringLiteral("greenpulse-processor peak RSS (VmHWM), 10k hosts"),
                 static_cast<double>(peakKb) / 1024.0, QStringLiteral("MB"),
                 QStringLiteral("peak_rss_mb"), Report::Goal::AtMost, 200, 1);
}

void MemoryBench::runGrowth(int hosts, int jobs, int seconds)
{
    constexpr double kRoundsPerSecond = 3; // 30,000 msg/s with 10,000 hosts
    ProcessorChild child;
    QString error;
    if (!child.start(m_broker.url(), m_influxUrl, &error)) {
        m_report.fail(kSection, error);
        return;
    }
    // Samples one second apart per host, starting far enough back never to reach the present.
    const PowerFeed feed(hosts, jobs,
                         static_cast<qint64>(sys::wallSeconds()) -
                             static_cast<qint64>(seconds * kRoundsPerSecond) - 3600);
    StreamFeeder feeder(feed, m_broker.port(), kRoundsPerSecond);
    if (!feeder.start()) {
        m_report.fail(kSection, QStringLiteral("cannot start the stream"));
        return;
    }
    std::vector<double> samples;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < seconds * 1000LL) {
        sys::spin(kSampleIntervalMs);
        samples.push_back(static_cast<double>(sys::procStatusKb(child.pid(), "VmRSS")) / 1024.0);
    }
    feeder.stop();
    const qint64 sent = feeder.sent();
    sys::waitUntil([&] { return child.accepted() >= sent; }, 60000);
    const QJsonObject out = child.stop();
    const qint64 accepted = out.value(QLatin1String("counters"))
                                .toObject()
                                .value(QLatin1String("accepted"))
                                .toInteger();
    if (accepted != sent) {
        m_report.fail(kSection, QStringLiteral("long run: greenpulse-processor accounted %1 of %2")
                                    .arg(accepted)
                                    .arg(sent));
    }
    m_report.note(kSection, QStringLiteral("long run: %1 s, %2 messages (%3 msg/s, %4 hosts)")
                                .arg(seconds)
                                .arg(sent)
                                .arg(static_cast<double>(sent) / seconds, 0, 'f', 0)
                                .arg(hosts));
    reportGrowth(samples, seconds);
}

void MemoryBench::reportGrowth(const std::vector<double> &samples, int seconds)
{
    if (samples.size() < 20) {
        m_report.fail(kSection, QStringLiteral("long run: too few RSS samples"));
        return;
    }
    // Mean of samples [from, from + count).
    const auto mean = [&](size_t from, size_t count) {
        return std::accumulate(samples.begin() + static_cast<long>(from),
                               samples.begin() + static_cast<long>(from + count), 0.0) /
               static_cast<double>(count);
    };
    QStringList tenths;
    const size_t tenth = samples.size() / 10;
    for (size_t i = 0; i + tenth <= samples.size(); i += tenth)
        tenths << QString::number(mean(i, tenth), 'f', 1);
    m_report.note(kSection,
                  QStringLiteral("RSS by tenth of the run (MB): ") + tenths.join(QLatin1Char(' ')));
    const double wholeRun =
        (mean(samples.size() - tenth, tenth) - mean(0, tenth)) * 100.0 / mean(0, tenth);
    m_report.add(kSection, QStringLiteral("RSS growth, first to last tenth incl. warm-up"),
                 wholeRun, QStringLiteral("%"), {}, Report::Goal::None, 0, 2);

    // The first tenth of the run (at least 10 s) is warm-up: 10,000 hosts and 1,000 jobs being
    // created, the writer's batches, Qt's and libmosquitto's buffers and the allocator's arenas
    // reaching their working size. Growth is judged on the steady part after it: mean of its
    // last tenth vs mean of its first tenth.
    const int warmUpSeconds = std::max(10, seconds / 10);
    const size_t warmUp =
        std::min(samples.size() / 2, static_cast<size_t>(warmUpSeconds) * 1000 / kSampleIntervalMs);
    const size_t steadyTenth = (samples.size() - warmUp) / 10;
    const double first = mean(warmUp, steadyTenth);
    const double last = mean(samples.size() - steadyTenth, steadyTenth);
    m_report.add(
        kSection,
        QStringLiteral("RSS after %1 s of warm-up, mean of the first tenth").arg(warmUpSeconds),
        first, QStringLiteral("MB"), {}, Report::Goal::None, 0, 1);
    m_report.add(kSection, QStringLiteral("RSS, mean of the last tenth"), last,
                 QStringLiteral("MB"), {}, Report::Goal::None, 0, 1);
    m_report.add(kSection, QStringLiteral("RSS growth after warm-up, first to last tenth"),
                 (last - first) * 100.0 / first, QStringLiteral("%"),
                 QStringLiteral("rss_growth_pct"), Report::Goal::AtMost, 5, 2);
}

} // namespace greenpulse::bench
