#pragma once

// Wires the Ledger to an MqttClient and to outputs: decodes every message, feeds the ledger,
// counts rejections, writes InfluxDB points every second, saves the ledger state file, and keeps
// a snapshot plus bounded chart series that the GUI (on another thread) pulls.

#include "influx/InfluxStatus.h"
#include "pipeline/JobReconciler.h"
#include "accounting/Ledger.h"
#include "base/LogThrottle.h"
#include "mqtt/MqttClient.h"
#include "pipeline/RejectionCounter.h"
#include "pipeline/SeriesStore.h"
#include "accounting/StateFile.h"

#include <QDate>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <memory>

class QTimer;

namespace greenpulse::core {

class LineSink;
class InfluxWriter;
class ControlJournal;

// What the GUI shows; copied out under a lock, immutable once published.
struct ProcessorSnapshot
{
    TimeNs takenNs = 0;
    std::vector<JobSummary> jobs;
    std::vector<HostSummary> hosts;
    ConnectionState mqttState = ConnectionState::Disconnected;
    QString mqttError;
    InfluxStatus influx;
    quint64 accepted = 0;
    quint64 rejected = 0;         // decoder rejections + out-of-order + future samples
    quint64 droppedPublishes = 0; // MQTT publishes dropped (queue overflow)
    double messagesPerSecond = 0;
    QJsonObject rejectionsByReason;
    double powerNowWatts = 0; // sum of every host's latest watts
    DayTotals today;          // since local midnight
    LedgerConfig config;
    QString stateSaveError;        // empty while the state file saves fine
    quint64 stateSaveFailures = 0; // failed state saves since the start
    quint64 journalFailures = 0;   // control messages the journal could not write durably
    quint64 reconciledEnds = 0;    // running jobs ended after a restart from the retained state
};

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
    void replayJournal(const QJsonObject &root);
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
    StateFile m_stateFile;
    ControlJournal *m_journal = nullptr; // child; null without a state file
    JobReconciler m_reconciler;
    bool m_reconcileScheduled = false;
    quint64 m_reconciledEnds = 0;
    QSet<QString> m_knownRunning;
    QMap<QDate, DayTotals> m_days;         // energy, carbon and water per local day
    DayTotals m_lastTotals;                // sums over every job at the last tick
    QHash<QString, TimeNs> m_pendingFinal; // ended jobs still owed their final point
    quint64 m_lastRevisionSaved = 0;
    bool m_savedSinceEviction = false;
    quint64 m_rateCount = 0;
    QElapsedTimer m_rateTimer;
    double m_rate = 0;
    // Job starts and ends: one line per job at debug, a summary at most every kJobLogIntervalMs.
    static constexpr qint64 kJobLogIntervalMs = 10000;
    LogThrottle m_jobLog{kJobLogIntervalMs};
    quint64 m_jobsStartedLog = 0;
    quint64 m_jobsEndedLog = 0;
    mutable QMutex m_snapshotMutex;
    std::shared_ptr<const ProcessorSnapshot> m_snapshot;
};

} // namespace greenpulse::core
