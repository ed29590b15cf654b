#include "pipeline/LedgerFollower.h"

#include "base/Logging.h"
#include "pipeline/ProcessorTiming_p.h"
#include "pipeline/SeriesStore.h"
#include "protocol/JobId.h"
#include "protocol/Topics.h"

#include <QJsonDocument>
#include <QMutexLocker>
#include <QSet>
#include <QTimer>
#include <algorithm>

namespace greenpulse::core {

namespace {

std::optional<QJsonObject> parseObject(const QByteArray &payload, QString *problem)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        *problem = error.error != QJsonParseError::NoError
                       ? QStringLiteral("not JSON: %1").arg(error.errorString())
                       : QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

// The ledger's order (Ledger::jobs): idle first, then by start time, then by id.
bool jobBefore(const JobSummary &a, const JobSummary &b)
{
    const bool aIdle = a.jobId == QLatin1String(jobid::kIdle);
    const bool bIdle = b.jobId == QLatin1String(jobid::kIdle);
    if (aIdle != bIdle) {
        return aIdle;
    }
    if (a.startNs != b.startNs) {
        return a.startNs < b.startNs;
    }
    return a.jobId < b.jobId;
}

} // namespace

LedgerFollower::LedgerFollower(MqttClient &mqtt, const Clock &clock, QString processorName,
                               QObject *parent)
    : QObject(parent), m_mqtt(mqtt), m_clock(clock), m_name(std::move(processorName)),
      m_root(topics::ledgerRoot(m_name)), m_latest(std::make_shared<ProcessorSnapshot>())
{
    m_summary.followedProcessor = m_name;
}

LedgerFollower::~LedgerFollower() = default;

void LedgerFollower::start()
{
    connect(&m_mqtt, &MqttClient::messageReceived, this, &LedgerFollower::handleMessage,
            Qt::UniqueConnection);
    connect(&m_mqtt, &MqttClient::stateChanged, this, [this] { m_dirty = true; });
    connect(&m_mqtt, &MqttClient::connected, this, &LedgerFollower::beginResync);
    m_mqtt.subscribe(m_root + '#', 1);
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &LedgerFollower::refresh);
    m_timer->start(m_snapshotIntervalMs);
    refresh();
}

void LedgerFollower::handleMessage(const QByteArray &topic, const QByteArray &payload)
{
    if (!m_statusTopic.isEmpty() && topic == m_statusTopic) {
        const bool offline = payload == "offline";
        m_dirty = m_dirty || offline != m_offline;
        m_offline = offline;
        return;
    }
    if (!topic.startsWith(m_root)) {
        return; // not ours (another subscription of a shared client)
    }
    const QByteArray rest = topic.mid(m_root.size());
    const QByteArray jobs = QByteArray(topics::kLedgerJobsLevel) + '/';
    const QByteArray hosts = QByteArray(topics::kLedgerHostsLevel) + '/';
    if (rest == topics::kLedgerSummaryLeaf) {
        handleSummary(payload);
    } else if (rest.startsWith(jobs) && rest.size() > jobs.size()) {
        handleJob(QString::fromUtf8(rest.mid(jobs.size())), payload);
    } else if (rest.startsWith(hosts)) {
        handleHostPage(rest.mid(hosts.size()), payload);
    } else {
        reject(topic, QStringLiteral("not a ledger topic"));
    }
}

void LedgerFollower::reject(const QByteArray &topic, const QString &problem)
{
    ++m_bad;
    m_dirty = true;
    m_lastProblem = QStringLiteral("%1: %2").arg(QString::fromUtf8(topic), problem);
    qCDebug(lcProcessor).noquote() << "followed ledger: ignored" << m_lastProblem;
}

void LedgerFollower::handleSummary(const QByteArray &payload)
{
    const QByteArray topic = m_root + topics::kLedgerSummaryLeaf;
    if (payload.isEmpty()) {
        m_haveSummary = false; // cleared: the processor's ledger is gone from the broker
        m_dirty = true;
        return;
    }
    QString problem;
    const std::optional<QJsonObject> o = parseObject(payload, &problem);
    ProcessorSnapshot summary;
    ledgerfeed::SummaryInfo info;
    if (!o || !ledgerfeed::summaryFromJson(*o, &summary, &info, &problem)) {
        reject(topic, problem);
        return;
    }
    m_summary = std::move(summary);
    m_summary.followedProcessor = m_name;
    m_info = info;
    m_haveSummary = true;
    m_summaryReceiptNs = m_clock.nowNs();
    m_dirty = true;
    if (!info.clientId.isEmpty() && topics::status(info.clientId) != m_statusTopic) {
        m_statusTopic = topics::status(info.clientId);
        m_offline = false;
        m_mqtt.subscribe(m_statusTopic, 1);
    }
}

void LedgerFollower::handleJob(const QString &jobId, const QByteArray &payload)
{
    m_dirty = true;
    if (m_resyncUntilNs != 0) {
        m_resyncedJobs.insert(jobId);
    }
    if (payload.isEmpty()) {
        m_jobs.remove(jobId); // the job left the processor's ledger
        return;
    }
    QString problem;
    const std::optional<QJsonObject> o = parseObject(payload, &problem);
    std::optional<JobSummary> job = o ? ledgerfeed::jobFromJson(*o, &problem) : std::nullopt;
    if (job && job->jobId != jobId) {
        job.reset();
        problem = QStringLiteral("\"job_id\" differs from the topic's");
    }
    if (!job) {
        reject(m_root + topics::kLedgerJobsLevel + '/' + jobId.toUtf8(), problem);
        return;
    }
    if (!m_jobs.contains(jobId) && m_jobs.size() >= kMaxJobs) {
        reject(m_root + topics::kLedgerJobsLevel + '/' + jobId.toUtf8(),
               QStringLiteral("more than %1 jobs").arg(kMaxJobs));
        return;
    }
    m_jobs.insert(jobId, std::move(*job));
}

void LedgerFollower::handleHostPage(const QByteArray &pageText, const QByteArray &payload)
{
    const QByteArray topic = m_root + topics::kLedgerHostsLevel + '/' + pageText;
    bool ok = false;
    const int page = pageText.toInt(&ok);
    if (!ok || page < 0 || page >= kMaxPages) {
        reject(topic, QStringLiteral("not a page number below %1").arg(kMaxPages));
        return;
    }
    m_dirty = true;
    if (m_resyncUntilNs != 0) {
        m_resyncedPages.insert(page);
    }
    if (payload.isEmpty()) {
        m_pages.remove(page); // no longer needed: fewer hosts
        return;
    }
    QString problem;
    const std::optional<QJsonObject> o = parseObject(payload, &problem);
    if (!o) {
        reject(topic, problem);
        return;
    }
    const QJsonValue hosts = o->value(QLatin1String("hosts"));
    if (!hosts.isObject()) {
        reject(topic, QStringLiteral("\"hosts\" must be an object"));
        return;
    }
    std::vector<HostSummary> out;
    const QJsonObject map = hosts.toObject();
    out.reserve(static_cast<size_t>(map.size()));
    for (auto it = map.begin(); it != map.end(); ++it) {
        std::optional<HostSummary> host =
            ledgerfeed::hostFromJson(it.key(), it.value().toObject(), &problem);
        if (!host || !it.value().isObject()) {
            reject(topic, QStringLiteral("host %1: %2").arg(it.key(), problem));
            return; // the page as a whole: the previous one stays until a good one arrives
        }
        out.push_back(std::move(*host));
    }
    m_pages.insert(page, std::move(out));
}

void LedgerFollower::beginResync()
{
    constexpr qint64 kGraceMs = 3000; // the broker sends the retained topics at once
    m_resyncUntilNs = m_clock.nowNs() + kGraceMs * 1'000'000;
    m_resyncedJobs.clear();
    m_resyncedPages.clear();
}

void LedgerFollower::endResyncIfDue(TimeNs now)
{
    if (m_resyncUntilNs == 0 || now < m_resyncUntilNs) {
        return;
    }
    m_resyncUntilNs = 0;
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        it = m_resyncedJobs.contains(it.key()) ? std::next(it) : m_jobs.erase(it);
    }
    for (auto it = m_pages.begin(); it != m_pages.end();) {
        it = m_resyncedPages.contains(it.key()) ? std::next(it) : m_pages.erase(it);
    }
    m_resyncedJobs.clear();
    m_resyncedPages.clear();
    m_dirty = true;
}

bool LedgerFollower::silent(TimeNs now) const
{
    if (!m_haveSummary) {
        return true;
    }
    const qint64 limitMs = qMax<qint64>(kMinSilentMs, 3LL * m_info.intervalMs);
    return m_offline || m_info.stopped || now - m_summaryReceiptNs > limitMs * 1'000'000;
}

void LedgerFollower::refresh()
{
    const TimeNs now = m_clock.nowNs();
    endResyncIfDue(now);
    const bool isSilent = silent(now);
    if (!m_dirty && isSilent == m_wasSilent) {
        return;
    }
    m_dirty = false;
    m_wasSilent = isSilent;
    auto snap = std::make_shared<ProcessorSnapshot>(m_summary);
    snap->jobs.reserve(static_cast<size_t>(m_jobs.size()));
    for (const JobSummary &job : std::as_const(m_jobs)) {
        snap->jobs.push_back(job);
    }
    std::sort(snap->jobs.begin(), snap->jobs.end(), jobBefore);
    QSet<QString> seen; // a host moving between pages may show in two for one interval
    const int pages = m_haveSummary ? m_info.hostPages : kMaxPages;
    for (int p = 0; p < pages; ++p) {
        const auto it = m_pages.constFind(p);
        if (it == m_pages.constEnd()) {
            continue;
        }
        for (const HostSummary &host : it.value()) {
            if (!seen.contains(host.host)) {
                seen.insert(host.host);
                snap->hosts.push_back(host);
            }
        }
    }
    std::sort(snap->hosts.begin(), snap->hosts.end(),
              [](const HostSummary &a, const HostSummary &b) { return a.host < b.host; });
    snap->mqttState = m_mqtt.state();
    snap->mqttError = m_mqtt.lastError();
    snap->followSilent = isSilent;
    snap->followOffline = m_offline;
    snap->followStopped = m_haveSummary && m_info.stopped;
    snap->followReceivedNs = m_haveSummary ? m_summaryReceiptNs : 0;
    snap->followBadPayloads = m_bad;
    appendSeries(*snap);
    {
        QMutexLocker lock(&m_mutex);
        m_latest = std::move(snap);
    }
    emit snapshotReady();
}

void LedgerFollower::appendSeries(const ProcessorSnapshot &snapshot)
{
    if (!m_series || !m_haveSummary || snapshot.takenNs <= m_seriesTakenNs) {
        return;
    }
    m_seriesTakenNs = snapshot.takenNs;
    const double xMs = static_cast<double>(snapshot.takenNs / 1'000'000);
    for (const JobSummary &job : snapshot.jobs) {
        if (job.running) {
            m_series->append(job, xMs);
        }
    }
    for (const HostSummary &host : snapshot.hosts) {
        if (snapshot.takenNs - host.lastSeenNs <= processortiming::kHostStaleNs) {
            m_series->append(host, xMs);
        }
    }
}

std::shared_ptr<const ProcessorSnapshot> LedgerFollower::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return m_latest;
}

} // namespace greenpulse::core
