#include "LatencyBench.h"

#include "BenchBroker.h"
#include "InProcessPipeline.h"
#include "mqtt/MosquittoClient.h"
#include "PowerFeed.h"
#include "Report.h"
#include "Sys.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <vector>

namespace greenpulse::bench {

namespace {

const QString kSection = QStringLiteral("latency");

QByteArray payload(int host, double watts, double stampSeconds)
{
    return "{\"host\":\"" + PowerFeed::hostName(host) +
           "\",\"watts\":" + QByteArray::number(watts, 'f', 1) +
           ",\"job_id\":null,\"timestamp\":" + QByteArray::number(stampSeconds, 'f', 6) + '}';
}

double stampOf(const QByteArray &payload)
{
    const qsizetype at = payload.indexOf("\"timestamp\":");
    if (at < 0) {
        return 0;
    }
    const qsizetype from = at + 12;
    return payload.mid(from, payload.indexOf('}', from) - from).toDouble();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const size_t index =
        std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
    return values[index];
}

} // namespace

LatencyBench::LatencyBench(BenchBroker &broker, QString influxUrl, Report &report)
    : m_broker(broker), m_influxUrl(std::move(influxUrl)), m_report(report)
{}

void LatencyBench::run(int seconds, int rate, int hosts)
{
    using namespace greenpulse::core;
    InProcessPipeline pipeline(m_broker.url(), QStringLiteral("bench-latency"), m_influxUrl);
    Ledger &ledger = pipeline.ledger();
    MosquittoClient &mqtt = pipeline.mqtt();
    InfluxWriter &writer = pipeline.writer();
    Processor &processor = pipeline.processor();
    pipeline.start();

    std::vector<double> latenciesMs;
    latenciesMs.reserve(static_cast<size_t>(seconds * rate));
    qint64 received = 0;
    const double warmUpUntil = sys::wallSeconds() + 2.0; // first second after connecting: skipped
    QObject::connect(&mqtt, &MqttClient::messageReceived, &mqtt,
                     [&](const QByteArray &topic, const QByteArray &body) {
                         if (topic != PowerFeed::topic()) {
                             return;
                         }
                         ++received;
                         const double now = sys::wallSeconds();
                         const double stamp = stampOf(body);
                         if (stamp >= warmUpUntil) {
                             latenciesMs.push_back((now - stamp) * 1000.0);
                         }
                     });
    mqtt.connectToBroker();
    if (!sys::waitUntil([&] { return mqtt.state() == ConnectionState::Connected; }, 10000)) {
        m_report.fail(kSection, QStringLiteral("the processor did not connect"));
        return;
    }
    sys::spin(300);

    // The publisher: its own thread, its own client, a 1 ms precise timer that publishes what
    // is due so the rate stays exact.
    QThread thread;
    MqttOptions pubOptions;
    pubOptions.brokerUrl = m_broker.url();
    pubOptions.clientId =
        QStringLiteral("bench-latency-pub-%1").arg(QCoreApplication::applicationPid());
    auto *publisher = new MosquittoClient(pubOptions);
    auto *tick = new QTimer(publisher);
    publisher->moveToThread(&thread);
    qint64 published = 0; // written on the publisher's thread only; read after it stopped
    const qint64 total = static_cast<qint64>(seconds) * rate;
    QElapsedTimer elapsed;
    tick->setTimerType(Qt::PreciseTimer);
    tick->setInterval(1);
    QObject::connect(tick, &QTimer::timeout, publisher, [&, publisher] {
        if (publisher->state() != ConnectionState::Connected) {
            return;
        }
        if (!elapsed.isValid()) {
            elapsed.start();
        }
        const qint64 due = std::min(total, elapsed.elapsed() * rate / 1000);
        while (published < due) {
            const int host = static_cast<int>(published % hosts);
            const double stamp = sys::wallSeconds();
            publisher->publish(PowerFeed::topic(),
                               payload(host, PowerFeed::watts(host, published / hosts), stamp), 1);
            ++published;
        }
        if (published >= total) {
            tick->stop();
        }
    });
    QObject::connect(&thread, &QThread::started, publisher, [publisher, tick] {
        publisher->connectToBroker();
        tick->start();
    });
    QObject::connect(&thread, &QThread::finished, publisher, &QObject::deleteLater);
    thread.start();

    sys::waitUntil([&] { return received >= total; }, (seconds + 30) * 1000);
    QMetaObject::invokeMethod(
        publisher, [publisher] { publisher->disconnectFromBroker(); },
        Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    processor.stop();
    writer.drain(5000);
    mqtt.disconnectFromBroker();

    if (received != total || ledger.counters().powerSamples != static_cast<quint64>(total)) {
        m_report.fail(kSection, QStringLiteral("%1 of %2 messages accounted")
                                    .arg(ledger.counters().powerSamples)
                                    .arg(total));
    }
    m_report.note(kSection,
                  QStringLiteral("%1 msg/s over %2 hosts for %3 s, QoS 1; %4 samples after "
                                 "warm-up")
                      .arg(rate)
                      .arg(hosts)
                      .arg(seconds)
                      .arg(latenciesMs.size()));
    m_report.add(kSection, QStringLiteral("publish to accounted, median"),
                 percentile(latenciesMs, 0.5), QStringLiteral("ms"),
                 QStringLiteral("latency_p50_ms"), Report::Goal::None, 0, 3);
    m_report.add(kSection, QStringLiteral("publish to accounted, 99th percentile"),
                 percentile(latenciesMs, 0.99), QStringLiteral("ms"),
                 QStringLiteral("latency_p99_ms"), Report::Goal::AtMost, 10, 3);
    m_report.add(kSection, QStringLiteral("publish to accounted, max"),
                 latenciesMs.empty() ? 0
                                     : *std::max_element(latenciesMs.begin(), latenciesMs.end()),
                 QStringLiteral("ms"), {}, Report::Goal::None, 0, 3);
}

} // namespace greenpulse::bench
