#include "Processor.h"

#include "InfluxWriter.h"
#include "JobId.h"
#include "LineSink.h"
#include "Logging.h"
#include "MetricsSchema.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QSaveFile>
#include <QTimer>

namespace greenpulse::core {

namespace {

constexpr TimeNs kNsPerSecond = 1'000'000'000LL;
// Ended jobs keep getting points this long after their end, so the last one carries the tail
// integrated once the host's next sample arrived: the job's final totals.
constexpr TimeNs kFinalPointDelayNs = 3 * kNsPerSecond;
// Hosts silent for longer than this get no telemetry point.
constexpr TimeNs kHostStaleNs = 60 * kNsPerSecond;

QString dayKey(const QDate &date)
{
    return date.toString(Qt::ISODate);
}

} // namespace

Processor::Processor(Ledger &ledger, MqttClient &mqtt, const Clock &clock, ProcessorOptions options,
                     QObject *parent)
    : QObject(parent), m_ledger(ledger), m_mqtt(mqtt), m_clock(clock), m_options(std::move(options))
{
    m_snapshot = std::make_shared<ProcessorSnapshot>();
}

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
    if (!m_options.stateFile.isEmpty() && QFileInfo::exists(m_options.stateFile)) {
        QFile file(m_options.stateFile);
        QString problem;
        QJsonParseError parseError{};
        QJsonDocument doc;
        if (!file.open(QIODevice::ReadOnly)) {
            problem = file.errorString();
        } else {
            doc = QJsonDocument::fromJson(file.readAll(), &parseError);
            if (parseError.error != QJsonParseError::NoError) {
                problem = parseError.errorString();
            }
        }
        const QJsonObject root = doc.object();
        if (problem.isEmpty() &&
            !m_ledger.restore(root.value(QLatin1String("ledger")).toObject(), &problem)) {
            // keep `problem`
        }
        if (!problem.isEmpty()) {
            // Keep the unreadable file for inspection and start from zero rather than refuse to
            // run.
            const QString aside = m_options.stateFile + QStringLiteral(".unreadable-") +
                                  QString::number(QDateTime::currentSecsSinceEpoch());
            QFile::rename(m_options.stateFile, aside);
            qCWarning(lcProcessor) << "state file" << m_options.stateFile << "is unreadable ("
                                   << problem << "); moved to" << aside << "and starting from zero";
        } else {
            const QJsonObject days = root.value(QLatin1String("days")).toObject();
            for (auto it = days.begin(); it != days.end(); ++it) {
                const QJsonObject d = it.value().toObject();
                m_days.insert(QDate::fromString(it.key(), Qt::ISODate),
                              DayTotals{d.value(QLatin1String("kwh")).toDouble(),
                                        d.value(QLatin1String("co2e_kg")).toDouble(),
                                        d.value(QLatin1String("liters")).toDouble()});
            }
            qCInfo(lcProcessor) << "resumed totals from" << m_options.stateFile << "with"
                                << m_ledger.jobs().size() << "jobs";
        }
    }
    if (!m_options.stateFile.isEmpty()) {
        const QDir dir = QFileInfo(m_options.stateFile).absoluteDir();
        if (!dir.exists() && !QDir().mkpath(dir.absolutePath())) {
            if (error) {
                *error = QStringLiteral("cannot create folder %1").arg(dir.absolutePath());
            }
            return false;
        }
    }
    for (const JobSummary &job : m_ledger.jobs()) {
        m_lastTotals.kwh += job.kwh;
        m_lastTotals.co2eKg += job.co2eKg;
        m_lastTotals.liters += job.liters;
        if (job.running) {
            m_knownRunning.insert(job.jobId);
        }
    }

    connect(&m_mqtt, &MqttClient::messageReceived, this, &Processor::handleMessage,
            Qt::UniqueConnection);
    if (m_options.subscribe) {
        m_mqtt.subscribe(QByteArray(topics::kAll), 1);
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
    m_rateTimer.start();
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
    ++m_rateCount;
    const TopicKind kind = classifyTopic(topic);
    if (kind == TopicKind::JobState || kind == TopicKind::Status) {
        return; // our own retained state and presence topics: not samples
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
    } else if (auto *c = std::get_if<ControlMessage>(&decoded)) {
        result = m_ledger.applyControl(*c);
        if (result == Ledger::Result::Accepted && c->jobId != QLatin1String(jobid::kIdle)) {
            const bool started = c->status == JobStatus::Start;
            if (m_sink) {
                m_sink->writeLines({schema::jobEventLine(c->jobId, c->host, started, c->exitCode,
                                                         c->timestampNs)});
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
                qCDebug(lcProcessor) << "job ended:" << c->jobId;
                ++m_jobsEndedLog;
                emit jobEnded(c->jobId);
            }
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
    case Ledger::Result::FromFuture:
        m_rejections.add(RejectReason::FromFuture, topic,
                         QStringLiteral("timestamp more than %1 s ahead of this clock")
                             .arg(m_ledger.config().futureToleranceSeconds));
        break;
    }
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
        totals.kwh += job.kwh;
        totals.co2eKg += job.co2eKg;
        totals.liters += job.liters;
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
            m_series->append(QStringLiteral("kwh/") + job.jobId, xMs, job.kwh);
            m_series->append(QStringLiteral("co2e/") + job.jobId, xMs, job.co2eKg);
            m_series->append(QStringLiteral("liters/") + job.jobId, xMs, job.liters);
        }
    }
    for (const HostSummary &host : hosts) {
        if (now - host.lastSeenNs > kHostStaleNs) {
            continue;
        }
        lines.append(schema::hostLine(host, at));
        if (m_series) {
            if (host.hasPower) {
                m_series->append(QStringLiteral("power/") + host.host, xMs, host.watts);
            }
            if (host.hasFlow) {
                m_series->append(QStringLiteral("flow/") + host.host, xMs, host.flowLpm);
                m_series->append(QStringLiteral("temp/") + host.host, xMs, host.tempC);
            }
        }
    }
    lines.append(schema::statsLine(m_rejections.accepted(), m_rejections.totalRejected(), at));
    if (m_sink) {
        m_sink->writeLines(lines);
    }

    // Energy since the last tick goes to today's (local) totals.
    DayTotals &today = m_days[QDateTime::fromMSecsSinceEpoch(now / 1'000'000).date()];
    today.kwh += std::max(0.0, totals.kwh - m_lastTotals.kwh);
    today.co2eKg += std::max(0.0, totals.co2eKg - m_lastTotals.co2eKg);
    today.liters += std::max(0.0, totals.liters - m_lastTotals.liters);
    m_lastTotals = totals;
    while (m_days.size() > 400) { // a year of daily totals is plenty
        m_days.erase(m_days.begin());
    }
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
    auto snap = std::make_shared<ProcessorSnapshot>();
    const TimeNs now = m_clock.nowNs();
    snap->takenNs = now;
    snap->jobs = m_ledger.jobs();
    snap->hosts = m_ledger.hosts();
    snap->mqttState = m_mqtt.state();
    snap->mqttError = m_mqtt.lastError();
    snap->droppedPublishes = m_mqtt.counters().droppedPublishes;
    if (m_writer) {
        snap->influx = m_writer->status();
    }
    snap->accepted = m_rejections.accepted();
    snap->rejected = m_rejections.totalRejected();
    snap->rejectionsByReason = m_rejections.toJson().value(QLatin1String("by_reason")).toObject();
    const qint64 elapsed = m_rateTimer.isValid() ? m_rateTimer.elapsed() : 0;
    if (elapsed >= 1000) {
        m_rate = static_cast<double>(m_rateCount) * 1000.0 / static_cast<double>(elapsed);
        m_rateCount = 0;
        m_rateTimer.restart();
    }
    snap->messagesPerSecond = m_rate;
    for (const HostSummary &h : snap->hosts) {
        if (h.hasPower && now - h.lastSeenNs <= kHostStaleNs) {
            snap->powerNowWatts += h.watts;
        }
    }
    snap->today = m_days.value(QDateTime::fromMSecsSinceEpoch(now / 1'000'000).date());
    snap->config = m_ledger.config();
    {
        QMutexLocker lock(&m_snapshotMutex);
        m_snapshot = std::move(snap);
    }
    emit snapshotReady();
}

std::shared_ptr<const ProcessorSnapshot> Processor::snapshot() const
{
    QMutexLocker lock(&m_snapshotMutex);
    return m_snapshot;
}

bool Processor::saveState(QString *error)
{
    if (m_options.stateFile.isEmpty()) {
        return true;
    }
    if (m_ledger.revision() == m_lastRevisionSaved && QFileInfo::exists(m_options.stateFile)) {
        return true;
    }
    QJsonObject days;
    for (auto it = m_days.cbegin(); it != m_days.cend(); ++it) {
        days[dayKey(it.key())] = QJsonObject{{QStringLiteral("kwh"), it->kwh},
                                             {QStringLiteral("co2e_kg"), it->co2eKg},
                                             {QStringLiteral("liters"), it->liters}};
    }
    QJsonObject root;
    root[QLatin1String("ledger")] = m_ledger.toJson();
    root[QLatin1String("days")] = days;
    root[QLatin1String("saved_at")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    // QSaveFile writes a temporary file and renames it over the old one on commit: a crash
    // never leaves a half-written state file.
    QSaveFile file(m_options.stateFile);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
        if (error) {
            *error = file.errorString();
        }
        qCWarning(lcProcessor) << "cannot save state to" << m_options.stateFile << ":"
                               << file.errorString();
        return false;
    }
    m_lastRevisionSaved = m_ledger.revision();
    return true;
}

void Processor::applyConfig(const LedgerConfig &config)
{
    m_ledger.setConfig(config);
    publishSnapshot();
}

QJsonObject Processor::countersJson() const
{
    QJsonObject o = m_rejections.toJson();
    const LedgerCounters &c = m_ledger.counters();
    o[QLatin1String("ledger")] =
        QJsonObject{{QStringLiteral("power_samples"), static_cast<qint64>(c.powerSamples)},
                    {QStringLiteral("flow_samples"), static_cast<qint64>(c.flowSamples)},
                    {QStringLiteral("control_messages"), static_cast<qint64>(c.controlMessages)},
                    {QStringLiteral("out_of_order"), static_cast<qint64>(c.outOfOrder)},
                    {QStringLiteral("from_future"), static_cast<qint64>(c.fromFuture)},
                    {QStringLiteral("gaps"), static_cast<qint64>(c.gaps)}};
    const MqttCounters m = m_mqtt.counters();
    o[QLatin1String("mqtt")] =
        QJsonObject{{QStringLiteral("received"), static_cast<qint64>(m.received)},
                    {QStringLiteral("reconnects"), static_cast<qint64>(m.reconnects)},
                    {QStringLiteral("dropped_publishes"), static_cast<qint64>(m.droppedPublishes)}};
    return o;
}

QJsonObject Processor::jobsJson() const
{
    QJsonArray jobs;
    for (const JobSummary &job : m_ledger.jobs()) {
        jobs.append(Ledger::jobToJson(job));
    }
    return QJsonObject{{QStringLiteral("jobs"), jobs}};
}

} // namespace greenpulse::core
