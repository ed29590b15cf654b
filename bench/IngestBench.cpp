#include "IngestBench.h"

#include "BenchBroker.h"
#include "InProcessPipeline.h"
#include "mqtt/MosquittoClient.h"
#include "PowerFeed.h"
#include "Report.h"
#include "Sys.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <cmath>

namespace greenpulse::bench {

namespace {

const QString kSection = QStringLiteral("ingest");

QStringList publishArgs(const BenchBroker &broker)
{
    return {QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
            QStringLiteral("-p"), QString::number(broker.port()),
            QStringLiteral("-t"), QString::fromLatin1(PowerFeed::topic()),
            QStringLiteral("-q"), QStringLiteral("0"),
            QStringLiteral("-l")};
}

} // namespace

IngestBench::IngestBench(BenchBroker &broker, QString influxUrl, Report &report)
    : m_broker(broker), m_influxUrl(std::move(influxUrl)), m_report(report)
{}

void IngestBench::run(qint64 messages, int hosts, int jobs)
{
    QTemporaryDir dir;
    const qint64 rounds = (messages + hosts - 1) / hosts;
    // Samples one second apart, all in the past (the ledger rejects samples from the future).
    const PowerFeed feed(hosts, jobs, static_cast<qint64>(sys::wallSeconds()) - rounds - 60);
    const QString file = dir.filePath(QStringLiteral("burst.txt"));
    QString error;
    if (!feed.writeFile(file, messages, &error)) {
        m_report.fail(kSection, QStringLiteral("cannot write the burst file: ") + error);
        return;
    }
    m_report.note(kSection, QStringLiteral("%1 messages, %2 hosts, %3 jobs; published at QoS 0 "
                                           "with mosquitto_pub -l, subscribed at QoS 1")
                                .arg(messages)
                                .arg(hosts)
                                .arg(jobs));
    const int dropsBefore = m_broker.dropWarnings();
    const double subRate = runMosquittoSub(file, messages);
    const double procRate = runProcessor(file, messages, feed.expectedJoules(messages));
    const int drops = m_broker.dropWarnings() - dropsBefore;
    if (drops > 0) {
        m_report.fail(kSection, QStringLiteral("the broker logged %1 drop warning(s)").arg(drops));
    } else {
        m_report.note(kSection, QStringLiteral("broker drops: none logged"));
    }
    if (subRate > 0 && procRate > 0) {
        m_report.add(kSection, QStringLiteral("processor rate / mosquitto_sub rate"),
                     procRate / subRate, QString(), QStringLiteral("ingest_ratio"),
                     Report::Goal::AtLeast, 0.9, 3);
    }
}

double IngestBench::runMosquittoSub(const QString &file, qint64 messages)
{
    QProcess sub;
    sub.setStandardOutputFile(QProcess::nullDevice());
    sub.start(sys::findProgram(QStringLiteral("mosquitto_sub")),
              {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
               QString::number(m_broker.port()), QStringLiteral("-t"),
               QString::fromLatin1(PowerFeed::topic()), QStringLiteral("-q"), QStringLiteral("1"),
               QStringLiteral("-C"), QString::number(messages)});
    if (!sub.waitForStarted(5000)) {
        m_report.fail(kSection, QStringLiteral("mosquitto_sub did not start"));
        return 0;
    }
    sys::spin(500); // let the subscription reach the broker

    QProcess pub;
    pub.setStandardInputFile(file);
    QElapsedTimer timer;
    timer.start();
    pub.start(sys::findProgram(QStringLiteral("mosquitto_pub")), publishArgs(m_broker));
    qint64 pubDoneNs = 0;
    qint64 subDoneNs = 0;
    sys::waitUntil(
        [&] {
            if (!pubDoneNs && pub.state() == QProcess::NotRunning) {
                pubDoneNs = timer.nsecsElapsed();
            }
            if (!subDoneNs && sub.state() == QProcess::NotRunning) {
                subDoneNs = timer.nsecsElapsed();
            }
            return pubDoneNs && subDoneNs;
        },
        300000);
    if (!subDoneNs || sub.exitCode() != 0) {
        sub.kill();
        sub.waitForFinished();
        m_report.fail(
            kSection,
            QStringLiteral("mosquitto_sub did not receive all %1 messages (drops)").arg(messages));
        return 0;
    }
    const double pubRate = static_cast<double>(messages) * 1e9 / static_cast<double>(pubDoneNs);
    const double subRate = static_cast<double>(messages) * 1e9 / static_cast<double>(subDoneNs);
    m_report.add(kSection, QStringLiteral("mosquitto_pub publish rate (mosquitto_sub run)"),
                 pubRate, QStringLiteral("msg/s"), {}, Report::Goal::None, 0, 0);
    m_report.add(kSection, QStringLiteral("mosquitto_sub drain rate"), subRate,
                 QStringLiteral("msg/s"), QStringLiteral("ingest_sub_msgs_per_s"),
                 Report::Goal::None, 0, 0);
    return subRate;
}

double IngestBench::runProcessor(const QString &file, qint64 messages, double expectedJoules)
{
    using namespace greenpulse::core;
    InProcessPipeline pipeline(m_broker.url(), QStringLiteral("bench-ingest"), m_influxUrl);
    Ledger &ledger = pipeline.ledger();
    MosquittoClient &mqtt = pipeline.mqtt();
    InfluxWriter &writer = pipeline.writer();
    Processor &processor = pipeline.processor();
    pipeline.start();

    QEventLoop loop;
    QElapsedTimer timer;
    qint64 received = 0;
    qint64 doneNs = 0;
    // Connected after the processor's own slot: runs once the message is accounted.
    QObject::connect(&mqtt, &MqttClient::messageReceived, &loop,
                     [&](const QByteArray &topic, const QByteArray &) {
                         if (topic == PowerFeed::topic() && ++received == messages) {
                             doneNs = timer.nsecsElapsed();
                             loop.quit();
                         }
                     });
    mqtt.connectToBroker();
    if (!sys::waitUntil([&] { return mqtt.state() == ConnectionState::Connected; }, 10000)) {
        m_report.fail(kSection, QStringLiteral("the processor did not connect"));
        return 0;
    }
    sys::spin(500); // the subscription reaches the broker

    QProcess pub;
    pub.setStandardInputFile(file);
    qint64 pubDoneNs = 0;
    QObject::connect(&pub, &QProcess::finished, &loop, [&] { pubDoneNs = timer.nsecsElapsed(); });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(300000);
    const double cpuBefore = sys::cpuSeconds(QCoreApplication::applicationPid());
    timer.start();
    pub.start(sys::findProgram(QStringLiteral("mosquitto_pub")), publishArgs(m_broker));
    loop.exec();
    const double cpu = sys::cpuSeconds(QCoreApplication::applicationPid()) - cpuBefore;
    pub.waitForFinished(10000);
    if (!pubDoneNs) {
        pubDoneNs = timer.nsecsElapsed();
    }
    processor.stop();
    writer.drain(5000);
    mqtt.disconnectFromBroker();

    if (received != messages) {
        m_report.fail(
            kSection,
            QStringLiteral("the processor received %1 of %2 messages").arg(received).arg(messages));
        return 0;
    }
    const double rate = static_cast<double>(messages) * 1e9 / static_cast<double>(doneNs);
    m_report.add(kSection, QStringLiteral("mosquitto_pub publish rate (processor run)"),
                 static_cast<double>(messages) * 1e9 / static_cast<double>(pubDoneNs),
                 QStringLiteral("msg/s"), {}, Report::Goal::None, 0, 0);
    m_report.add(kSection, QStringLiteral("processor drain + accounting rate"), rate,
                 QStringLiteral("msg/s"), QStringLiteral("ingest_msgs_per_s"), Report::Goal::None,
                 0, 0);
    m_report.add(kSection, QStringLiteral("processor CPU per message (whole process)"),
                 cpu * 1e9 / static_cast<double>(messages), QStringLiteral("ns"), {},
                 Report::Goal::None, 0, 0);

    // Every message accounted: the totals equal the published energy.
    const LedgerCounters &c = ledger.counters();
    double kwh = 0;
    for (const JobSummary &job : ledger.jobs()) {
        kwh += job.kwh;
    }
    const double expectedKwh = expectedJoules / 3.6e6;
    const bool exact = std::abs(kwh - expectedKwh) <= 1e-9 * std::max(1.0, expectedKwh);
    if (c.powerSamples != static_cast<quint64>(messages) || !exact ||
        processor.rejections().totalRejected() != 0) {
        m_report.fail(kSection, QStringLiteral("accounting mismatch: %1 samples accepted of %2, %3 "
                                               "rejected, %4 kWh accounted, %5 kWh published")
                                    .arg(c.powerSamples)
                                    .arg(messages)
                                    .arg(processor.rejections().totalRejected())
                                    .arg(kwh, 0, 'f', 9)
                                    .arg(expectedKwh, 0, 'f', 9));
    } else {
        m_report.note(kSection, QStringLiteral("accounted: all %1 messages, %2 kWh = the "
                                               "published energy")
                                    .arg(messages)
                                    .arg(kwh, 0, 'f', 6));
    }
    return rate;
}

} // namespace greenpulse::bench
