#pragma once

// Publishes a processor's ledger for its viewers (dashboards in follow mode, LedgerFollower), so
// that every viewer shows the processor's own totals and none computes (or writes) a second copy.
// Retained, under greenpulse/ledger/<processor>/ (docs/protocol.md, "Ledger"):
//   summary      counters, config, MQTT and InfluxDB state, power now, today, taken time
//   jobs/<id>    one job (Ledger::jobToJson and the exact instants)
//   hosts/<n>    a page of hosts (Ledger::hostsToJson and their latest values)
// Every interval, only what changed since the last publish; a job that leaves the ledger and a
// page no longer needed are cleared (an empty retained message). Nothing is published while the
// client is disconnected; everything is published again after a reconnect. Retained ledger topics
// found on the broker from an earlier run that the ledger no longer has are cleared too.

#include "mqtt/MqttClient.h"
#include "pipeline/ProcessorSnapshot.h"

#include <QHash>
#include <QObject>
#include <QVector>
#include <functional>
#include <memory>

class QTimer;

namespace greenpulse::core {

struct LedgerPublisherOptions
{
    QString processorName;  // the <processor> level of the topics (--processor-name)
    int intervalMs = 2000;  // --ledger-interval-s; 0: the ledger is not published
    int hostsPerPage = 250; // hosts per hosts/<n> message at most
    // Bytes per hosts/<n> message at most (a single larger host goes alone): well under the
    // max_packet_size 262144 of packaging/mosquitto.
    int maxPageBytes = 192 * 1024;
};

class LedgerPublisher : public QObject
{
    Q_OBJECT
public:
    using Source = std::function<std::shared_ptr<const ProcessorSnapshot>()>;

    struct Counters
    {
        quint64 summaries = 0;
        quint64 jobMessages = 0; // jobs/<id> published
        quint64 pageMessages = 0;
        quint64 cleared = 0; // empty retained messages (jobs gone, pages no longer needed)
    };

    // `source` gives the snapshot to publish (Processor::snapshot). The publisher does not own
    // `mqtt`; it must live on the publisher's thread.
    LedgerPublisher(MqttClient &mqtt, Source source, LedgerPublisherOptions options,
                    QObject *parent = nullptr);
    ~LedgerPublisher() override;

    // Watches the broker's retained ledger topics of this processor and starts the timer.
    void start();
    // Publishes the latest snapshot now; `stopped`: the last one before the processor stops.
    void publishNow(bool stopped = false);
    void publish(const ProcessorSnapshot &snapshot, bool stopped = false);

    const Counters &counters() const { return m_counters; }
    const LedgerPublisherOptions &options() const { return m_options; }

private:
    void noteRetained(const QByteArray &topic, const QByteArray &payload);
    void publishJobs(const ProcessorSnapshot &snapshot);
    int publishHosts(const ProcessorSnapshot &snapshot); // returns the number of pages
    bool publishIfChanged(const QByteArray &topic, const QByteArray &payload, size_t *hash);
    void clear(const QByteArray &topic);

    MqttClient &m_mqtt;
    Source m_source;
    LedgerPublisherOptions m_options;
    QByteArray m_root; // greenpulse/ledger/<processor>/
    QTimer *m_timer = nullptr;
    // What the broker holds for us: a hash of each retained payload (0: unknown, publish again).
    QHash<QString, size_t> m_jobs;
    QVector<size_t> m_pages;
    Counters m_counters;
};

} // namespace greenpulse::core
