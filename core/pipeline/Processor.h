#pragma once

// Wires the Ledger to an MqttClient and to outputs: decodes every message, feeds the ledger,
// counts rejections, writes InfluxDB points every second, and appends the chart series. Its parts
// have their own classes: the state file and journal (ProcessorState), the daily totals
// (DailyTotals), the snapshot the GUI pulls from another thread (SnapshotPublisher). Crash
// recovery is in ProcessorRecovery.cpp, the counters JSON in ProcessorCounters.cpp.

#include "accounting/Ledger.h"
#include "base/LogThrottle.h"
#include "mqtt/MqttClient.h"
#include "pipeline/DailyTotals.h"
#include "pipeline/JobReconciler.h"
#include "pipeline/ProcessorSnapshot.h"
#include "pipeline/ProcessorState.h"
#include "pipeline/RejectionCounter.h"
#include "pipeline/SeriesStore.h"
#include "pipeline/SnapshotPublisher.h"

#include <QJsonObject>
#include <QObject>
#include <memory>

class QTimer;

namespace greenpulse::core {

class LineSink;
class InfluxWriter;

struct ProcessorOptions
{
    QString stateFile; // empty: no persistence (and no control journal)
    // Saved this often when the ledger changed: a kill -9 loses at most this much of samples
    // (control messages are journaled at once; see ControlJournal).
    int saveIntervalMs = 1000;
    // After the first connection, retained job state arriving within this time is compared with
    // the jobs the saved state has running (JobReconciler).
    int reconcileSettleMs = 2000;
    int tickIntervalMs = 1000;    // InfluxDB points and chart series
    int snapshotIntervalMs = 250; // how often the GUI's snapshot is refreshed
    bool subscribe = true;        // subscribe to greenpulse/# at QoS 1
    // false: control messages on the legacy greenpulse/control are refused (not_owner);
    // --legacy-control, docs/security.md.
    bool acceptLegacyControl = true;
    // A host not heard from for longer than this is "silent": greyed and counted in the
    // dashboard, left out of "power now" (--stale-after-s; docs/dashboard.md, "Freshness").
    double staleAfterSeconds = 15.0;
};

class Processor : public QObject
{
    Q_OBJECT
public:
    // The processor does not own its collaborators; main() builds and passes them in.
    Processor(Ledger &ledger, MqttClient &mqtt, const Clock &clock, ProcessorOptions options,
              QObject *parent = nullptr);
    ~Processor() override;

    void setLineSink(LineSink *sink);           // usually the InfluxWriter; may be null
    void setInfluxWriter(InfluxWriter *writer); // sink + status for the snapshot
    void setSeriesStore(SeriesStore *store);    // chart history; may be null

    // Restores the state file (if any), subscribes, starts the timers.
    bool start(QString *error = nullptr);
    // Final tick (points for every job), saves the state file, flushes the writer.
    void stop();

    // Feeds one raw message (what MqttClient::messageReceived delivers). Public for tests/bench.
    void handleMessage(const QByteArray &topic, const QByteArray &payload);

    bool saveState(QString *error = nullptr);
    void applyConfig(const LedgerConfig &config);

    // Thread-safe: the latest published snapshot.
    std::shared_ptr<const ProcessorSnapshot> snapshot() const;
    // Not thread-safe: on the processor's thread.
    const RejectionCounter &rejections() const { return m_rejections; }
    QJsonObject countersJson() const; // accepted/rejected by reason + ledger counters
    QJsonObject jobsJson() const;     // {"jobs": [...]}

signals:
    void snapshotReady(); // a new snapshot is available (queued to the GUI)
    void jobStarted(const QString &jobId);
    void jobEnded(const QString &jobId);

private:
    void loadState();
    void replayJournal(quint64 saved); // the records after `saved`, the last one in the file
    Ledger::Result applyControl(const ControlMessage &message, TimeNs receipt);
    void handleJobState(const QByteArray &topic, const QByteArray &payload);
    void reconcile();
    QJsonObject influxCountersJson() const;
    void tick();
    void scheduleAlignedTick();
    void publishSnapshot();
    void evictFromLedger(TimeNs now); // forgets saved ended jobs, expires silent hosts
    void logJobSummary();

    Ledger &m_ledger;
    MqttClient &m_mqtt;
    const Clock &m_clock;
    ProcessorOptions m_options;
    LineSink *m_sink = nullptr;
    InfluxWriter *m_writer = nullptr;
    SeriesStore *m_series = nullptr;
    RejectionCounter m_rejections;
    QTimer *m_tickTimer = nullptr;
    QTimer *m_saveTimer = nullptr;
    QTimer *m_snapshotTimer = nullptr;
    ProcessorState m_state; // state file and control journal (a child; none without a file)
    JobReconciler m_reconciler;
    bool m_reconcileScheduled = false;
    quint64 m_reconciledEnds = 0;
    QSet<QString> m_knownRunning;
    DailyTotals m_days;                    // energy, carbon and water per local day
    QHash<QString, TimeNs> m_pendingFinal; // ended jobs still owed their final point
    bool m_savedSinceEviction = false;
    // Job starts and ends: one line per job at debug, a summary at most every kJobLogIntervalMs.
    static constexpr qint64 kJobLogIntervalMs = 10000;
    LogThrottle m_jobLog{kJobLogIntervalMs};
    quint64 m_jobsStartedLog = 0;
    quint64 m_jobsEndedLog = 0;
    SnapshotPublisher m_snapshots;
};

} // namespace greenpulse::core
