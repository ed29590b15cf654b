#include "pipeline/Processor.h"

#include "accounting/ControlJournal.h"
#include "base/Logging.h"
#include "influx/InfluxWriter.h"
#include "influx/LineSink.h"
#include "pipeline/MetricsSchema_p.h"
#include "pipeline/ProcessorTiming_p.h"
#include "protocol/JobId.h"

#include <QTimer>

namespace greenpulse::core {

using namespace processortiming;

Processor::Processor(Ledger &ledger, MqttClient &mqtt, const Clock &clock, ProcessorOptions options,
                     QObject *parent)
    : QObject(parent), m_ledger(ledger), m_mqtt(mqtt), m_clock(clock),
      m_options(std::move(options)), m_state(m_options.stateFile, this)
{}

Processor::~Processor() = default;

void Processor::setLineSink(LineSink *sink)
{
    m_sink = sink;
}

void Processor::setInfluxWriter(InfluxWriter *writer)
{
    m_writer = writer;
    m_sink = writer;
}

void Processor::setSeriesStore(SeriesStore *store)
{
    m_series = store;
}

bool Processor::start(QString *error)
{
    if (m_state.isEnabled()) {
        QString problem;
        if (!m_state.prepareFolder(&problem)) {
            if (error) {
                *error = problem;
            }
            return false;
        }
        loadState();
    }
    const std::vector<JobSummary> jobs = m_ledger.jobs();
    m_days.resetBase(jobs);
    for (const JobSummary &job : jobs) {
        if (job.running) {
            m_knownRunning.insert(job.jobId);
        }
    }

    connect(&m_mqtt, &MqttClient::messageReceived, this, &Processor::handleMessage,
            Qt::UniqueConnection);
    if (m_options.subscribe) {
        m_mqtt.subscribe(QByteArray(topics::kAll), 1);
        auto scheduleReconcile = [this] {
            if (!m_reconcileScheduled) {
                m_reconcileScheduled = true;
                QTimer::singleShot(m_options.reconcileSettleMs, this, &Processor::reconcile);
            }
        };
        connect(&m_mqtt, &MqttClient::connected, this, scheduleReconcile);
        if (m_mqtt.state() == ConnectionState::Connected) {
            scheduleReconcile();
        }
    } else {
        m_reconciler.skip();
    }

    m_tickTimer = new QTimer(this);
    m_tickTimer->setTimerType(Qt::PreciseTimer);
    if (m_options.tickIntervalMs == 1000) {
        // Once a second, half-way through each second of the clock: the points sit on a
        // whole-second grid, and timer jitter can neither skip a second nor write one twice.
        m_tickTimer->setSingleShot(true);
        connect(m_tickTimer, &QTimer::timeout, this, [this] {
            tick();
            scheduleAlignedTick();
        });
        scheduleAlignedTick();
    } else {
        connect(m_tickTimer, &QTimer::timeout, this, &Processor::tick);
        m_tickTimer->start(m_options.tickIntervalMs);
    }
    m_saveTimer = new QTimer(this);
    connect(m_saveTimer, &QTimer::timeout, this, [this] { saveState(); });
    m_saveTimer->start(m_options.saveIntervalMs);
    m_snapshotTimer = new QTimer(this);
    connect(m_snapshotTimer, &QTimer::timeout, this, &Processor::publishSnapshot);
    m_snapshotTimer->start(m_options.snapshotIntervalMs);
    m_snapshots.startRate();
    publishSnapshot();
    return true;
}

void Processor::stop()
{
    for (QTimer *t : {m_tickTimer, m_saveTimer, m_snapshotTimer}) {
        if (t) {
            t->stop();
        }
    }
    tick();
    publishSnapshot();
    QString error;
    if (!saveState(&error) && !error.isEmpty()) {
        qCWarning(lcProcessor) << "could not save the state file:" << error;
    }
    if (m_writer) {
        m_writer->flush();
    }
}

void Processor::handleMessage(const QByteArray &topic, const QByteArray &payload)
{
    const TopicKind kind = classifyTopic(topic);
    if (kind == TopicKind::Ledger) {
        return; // published ledgers (LedgerPublisher; our own echo back): not input, not counted
    }
    m_snapshots.noteMessage();
    if (kind == TopicKind::JobState) {
        handleJobState(topic, payload); // retained job state: not samples
        return;
    }
    if (kind == TopicKind::Status) {
        return; // presence topics: not samples
    }
    const TimeNs receipt = m_clock.nowNs();
    Decoded decoded = decode(topic, payload, receipt);
    if (auto *rejection = std::get_if<Rejection>(&decoded)) {
        m_rejections.add(rejection->reason, topic, rejection->detail);
        return;
    }
    Ledger::Result result = Ledger::Result::Accepted;
    if (auto *p = std::get_if<PowerSample>(&decoded)) {
        result = m_ledger.addPower(*p);
    } else if (auto *f = std::get_if<FlowTempSample>(&decoded)) {
        result = m_ledger.addFlowTemp(*f);
    } else if (auto *g = std::get_if<GridIntensity>(&decoded)) {
        if (m_ledger.addGridIntensity(*g) == Ledger::Result::TooManyIds) {
            m_rejections.add(RejectReason::TooManyIds, topic,
                             QStringLiteral("a new grid zone beyond the bound of %1 zones")
                                 .arg(m_ledger.config().footprint.maxGridZones));
            return;
        }
    } else if (auto *c = std::get_if<ControlMessage>(&decoded)) {
        if (c->origin.kind == ControlOrigin::Kind::Legacy && !m_options.acceptLegacyControl) {
            m_rejections.add(
                RejectReason::NotOwner, topic,
                QStringLiteral("%1 of job %2: the legacy control topic is switched "
                               "off (--legacy-control reject)")
                    .arg(QLatin1String(c->status == JobStatus::Start ? "start" : "end"), c->jobId));
            return;
        }
        result = applyControl(*c, receipt);
        if (result == Ledger::Result::NotOwner) {
            m_rejections.add(
                RejectReason::NotOwner, topic,
                QStringLiteral("%1 of job %2 from %3 refused: it was started by %4")
                    .arg(QLatin1String(c->status == JobStatus::Start ? "start" : "end"), c->jobId,
                         controlOriginName(c->origin),
                         controlOriginName(m_ledger.jobOwner(c->jobId))));
            return;
        }
    }
    switch (result) {
    case Ledger::Result::Accepted:
        m_rejections.countAccepted();
        break;
    case Ledger::Result::OutOfOrder:
        m_rejections.add(RejectReason::OutOfOrder, topic,
                         QStringLiteral("sample older than the host's latest"));
        break;
    case Ledger::Result::FromFuture: // no longer returned: a skewed clock is re-stamped
        m_rejections.add(RejectReason::FromFuture, topic, QStringLiteral("timestamp ahead"));
        break;
    case Ledger::Result::TooManyIds:
        m_rejections.add(RejectReason::TooManyIds, topic,
                         QStringLiteral("a new host or job beyond --max-hosts / --max-jobs"));
        break;
    case Ledger::Result::IdRateLimited:
        m_rejections.add(RejectReason::IdRateLimited, topic,
                         QStringLiteral("new hosts and jobs beyond --max-new-ids-per-minute"));
        break;
    case Ledger::Result::NotOwner: // counted above
        break;
    }
}

Ledger::Result Processor::applyControl(const ControlMessage &message, TimeNs receipt)
{
    const ControlMessage *c = &message;
    const Ledger::Result result = m_ledger.applyControl(message);
    if (result != Ledger::Result::Accepted || c->jobId == QLatin1String(jobid::kIdle)) {
        return result;
    }
    // The time the ledger used (re-stamped when the sender's clock is out of bounds): the
    // journal replays it as is, and the job event carries it.
    const TimeNs t = m_ledger.trustedTime(c->timestampNs, c->receiptNs, c->timestampFromReceipt);
    if (ControlJournal *journal = m_state.journal()) {
        ControlMessage journaled = message;
        journaled.timestampNs = t;
        journaled.receiptNs = 0;
        journal->append({0, false, journaled}); // durable before the next event-loop turn
    }
    const bool started = c->status == JobStatus::Start;
    if (m_sink) {
        m_sink->writeLines({schema::jobEventLine(c->jobId, c->host, started, c->exitCode, t)});
    }
    if (started) {
        m_knownRunning.insert(c->jobId);
        m_pendingFinal.remove(c->jobId);
        qCDebug(lcProcessor) << "job started:" << c->jobId;
        ++m_jobsStartedLog;
        emit jobStarted(c->jobId);
    } else {
        m_knownRunning.remove(c->jobId);
        m_pendingFinal.insert(c->jobId, receipt);
        m_reconciler.untrack(c->jobId);
        qCDebug(lcProcessor) << "job ended:" << c->jobId;
        ++m_jobsEndedLog;
        emit jobEnded(c->jobId);
    }
    return result;
}

void Processor::logJobSummary()
{
    if ((m_jobsStartedLog == 0 && m_jobsEndedLog == 0) || !m_jobLog.allow()) {
        return;
    }
    const qint64 seconds = qMax<qint64>(1, (m_jobLog.coveredMs() + 500) / 1000);
    qCInfo(lcProcessor).noquote() << QStringLiteral("%1 jobs started, %2 ended in the last %3 s")
                                         .arg(m_jobsStartedLog)
                                         .arg(m_jobsEndedLog)
                                         .arg(seconds);
    m_jobsStartedLog = 0;
    m_jobsEndedLog = 0;
}

void Processor::tick()
{
    logJobSummary();
    const TimeNs now = m_clock.nowNs();
    const TimeNs at = now - now % kNsPerSecond; // points on a whole-second grid
    const double xMs = static_cast<double>(now / 1'000'000);
    const std::vector<JobSummary> jobs = m_ledger.jobs();
    const std::vector<HostSummary> hosts = m_ledger.hosts();
    QList<QByteArray> lines;
    lines.reserve(static_cast<qsizetype>(jobs.size() + hosts.size() + 1));

    DayTotals totals;
    for (const JobSummary &job : jobs) {
        totals.add(job);
        bool write = job.running;
        if (!job.running && m_knownRunning.remove(job.jobId)) {
            m_pendingFinal.insert(job.jobId, now); // ended without a control message (samples)
        }
        auto pending = m_pendingFinal.find(job.jobId);
        if (!job.running && pending != m_pendingFinal.end()) {
            write = true;
            if (now - pending.value() >= kFinalPointDelayNs) {
                m_pendingFinal.erase(pending); // this point is the final one
            }
        }
        if (job.running && job.jobId != QLatin1String(jobid::kIdle)) {
            m_knownRunning.insert(job.jobId);
        }
        if (!write) {
            continue;
        }
        lines.append(schema::footprintLine(job, at));
        if (m_series) {
            m_series->append(job, xMs);
        }
    }
    for (const HostSummary &host : hosts) {
        if (now - host.lastSeenNs > kHostStaleNs) {
            continue;
        }
        lines.append(schema::hostLine(host, at));
        // The charts get a host's point only while its latest sample is within the gap bound:
        // a silent host (or a broker outage) leaves a hole that the charts draw as a break,
        // instead of its last value held flat for a minute.
        if (m_series && now - host.lastSeenNs <= fromSeconds(m_ledger.config().maxGapSeconds)) {
            m_series->append(host, xMs);
        }
    }
    lines.append(schema::statsLine(m_rejections.accepted(), m_rejections.totalRejected(), at));
    if (m_sink) {
        m_sink->writeLines(lines);
    }

    m_days.advance(now, totals); // energy since the last tick goes to today's (local) totals
    if (m_savedSinceEviction || m_options.stateFile.isEmpty()) {
        evictFromLedger(now);
    }
}

void Processor::evictFromLedger(TimeNs now)
{
    // Ended jobs whose final point went out (none pending) and that a save has seen ended; the
    // day totals keep their energy (DailyTotals::forget).
    m_savedSinceEviction = false;
    for (const QString &id : m_ledger.evictableJobs(now, 2 * kFinalPointDelayNs)) {
        if (m_pendingFinal.contains(id) || m_knownRunning.contains(id)) {
            continue;
        }
        const std::optional<JobSummary> job = m_ledger.job(id);
        if (job && m_ledger.forgetJob(id)) {
            m_days.forget(*job);
        }
    }
    m_ledger.expireHosts(now);
}

void Processor::scheduleAlignedTick()
{
    const qint64 nowMs = m_clock.nowNs() / 1'000'000;
    qint64 delay = 1500 - nowMs % 1000; // to the next x.500 s
    if (delay > 1000) {
        delay -= 1000;
    }
    m_tickTimer->start(static_cast<int>(delay));
}

void Processor::publishSnapshot()
{
    m_snapshots.publish({m_ledger, m_mqtt, m_writer, m_rejections, m_days, m_state,
                         m_reconciledEnds, m_options.staleAfterSeconds},
                        m_clock.nowNs());
    emit snapshotReady();
}

std::shared_ptr<const ProcessorSnapshot> Processor::snapshot() const
{
    return m_snapshots.latest();
}

bool Processor::saveState(QString *error)
{
    if (!m_state.isEnabled() || m_state.isCurrent(m_ledger)) {
        return true;
    }
    if (!m_state.save(m_ledger, m_days, m_reconciler.trackedToJson(m_ledger), error)) {
        return false;
    }
    m_savedSinceEviction = true;
    return true;
}

void Processor::applyConfig(const LedgerConfig &config)
{
    m_ledger.setConfig(config);
    publishSnapshot();
}

} // namespace greenpulse::core
