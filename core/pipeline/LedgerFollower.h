#pragma once

// Follows another processor's published ledger (LedgerPublisher; docs/protocol.md, "Ledger")
// and turns it into the same ProcessorSnapshot the dashboard reads from its own processor: the
// processor's totals as it computed them, bit for bit, and nothing computed (or written) here.
// Bounded (jobs, pages); a payload that cannot be read is counted and ignored, never applied.
// Says when the followed ledger goes silent: no summary for three of its intervals (at least
// kMinSilentMs), its presence topic says "offline", or its last summary said it stopped.

#include "base/Clock.h"
#include "mqtt/MqttClient.h"
#include "pipeline/LedgerFeed.h"
#include "pipeline/ProcessorSnapshot.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <memory>

class QTimer;

namespace greenpulse::core {

class SeriesStore;

class LedgerFollower : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxJobs = 20000; // jobs/<id> kept at most (twice --max-jobs' default)
    static constexpr int kMaxPages = 4096; // hosts/<n> pages kept at most
    static constexpr int kMinSilentMs = 6000;

    // Follows greenpulse/ledger/<processorName>/. Does not own `mqtt` (on this object's thread).
    LedgerFollower(MqttClient &mqtt, const Clock &clock, QString processorName,
                   QObject *parent = nullptr);
    ~LedgerFollower() override;

    void setSeriesStore(SeriesStore *store) { m_series = store; } // chart history; may be null
    void setSnapshotIntervalMs(int ms) { m_snapshotIntervalMs = ms; }

    // Subscribes to the ledger's topics and starts building snapshots.
    void start();
    // One message from the broker (what MqttClient::messageReceived delivers); public for tests.
    void handleMessage(const QByteArray &topic, const QByteArray &payload);

    // A new snapshot now if something changed (or silence began or ended); the timer calls it.
    void refresh();
    // Thread-safe: the latest snapshot (an empty one before start()).
    std::shared_ptr<const ProcessorSnapshot> snapshot() const;
    QString processorName() const { return m_name; }
    quint64 badPayloads() const { return m_bad; }
    QString lastProblem() const { return m_lastProblem; }

signals:
    void snapshotReady();

private:
    void handleSummary(const QByteArray &payload);
    void handleJob(const QString &jobId, const QByteArray &payload);
    void handleHostPage(const QByteArray &page, const QByteArray &payload);
    void reject(const QByteArray &topic, const QString &problem);
    bool silent(TimeNs now) const;
    // After a (re)connect the broker sends every retained ledger topic again, but not the ones
    // cleared while we were away: what is not sent again within a grace time is dropped.
    void beginResync();
    void endResyncIfDue(TimeNs now);
    void appendSeries(const ProcessorSnapshot &snapshot);

    MqttClient &m_mqtt;
    const Clock &m_clock;
    QString m_name;
    QByteArray m_root; // greenpulse/ledger/<name>/
    QByteArray m_statusTopic;
    SeriesStore *m_series = nullptr;
    int m_snapshotIntervalMs = 250;
    QTimer *m_timer = nullptr;

    ProcessorSnapshot m_summary; // its summary fields (no jobs and hosts)
    ledgerfeed::SummaryInfo m_info;
    bool m_haveSummary = false;
    TimeNs m_summaryReceiptNs = 0;
    bool m_offline = false;
    QHash<QString, JobSummary> m_jobs;
    QHash<int, std::vector<HostSummary>> m_pages;
    quint64 m_bad = 0;
    QString m_lastProblem;
    bool m_dirty = true;
    bool m_wasSilent = false;
    TimeNs m_seriesTakenNs = 0;   // the summary whose values went to the series last
    TimeNs m_resyncUntilNs = 0;   // 0: no resync under way
    QSet<QString> m_resyncedJobs; // jobs/<id> received since the (re)connect
    QSet<int> m_resyncedPages;

    mutable QMutex m_mutex;
    std::shared_ptr<const ProcessorSnapshot> m_latest;
};

} // namespace greenpulse::core
