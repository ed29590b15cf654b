#include "pipeline/LedgerPublisher.h"

#include "accounting/Ledger.h"
#include "pipeline/LedgerFeed.h"
#include "protocol/Topics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>

namespace greenpulse::core {

namespace {

// Pages beyond this on the broker are not ours to track (a bound against a flood of topics).
constexpr int kMaxPages = 4096;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// "name" as a JSON string, quotes included.
QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

} // namespace

LedgerPublisher::LedgerPublisher(MqttClient &mqtt, Source source, LedgerPublisherOptions options,
                                 QObject *parent)
    : QObject(parent), m_mqtt(mqtt), m_source(std::move(source)), m_options(std::move(options)),
      m_root(topics::ledgerRoot(m_options.processorName))
{}

LedgerPublisher::~LedgerPublisher() = default;

void LedgerPublisher::start()
{
    connect(&m_mqtt, &MqttClient::messageReceived, this, &LedgerPublisher::noteRetained);
    // After a reconnect the broker may have lost what we published: publish everything again.
    connect(&m_mqtt, &MqttClient::connected, this, [this] {
        for (size_t &hash : m_jobs) {
            hash = 0;
        }
        m_pages.fill(0);
        publishNow();
    });
    if (m_options.intervalMs > 0) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, [this] { publishNow(); });
        m_timer->start(m_options.intervalMs);
    }
}

void LedgerPublisher::noteRetained(const QByteArray &topic, const QByteArray &payload)
{
    if (!topic.startsWith(m_root) || payload.isEmpty()) {
        return;
    }
    const QByteArray rest = topic.mid(m_root.size());
    const QByteArray jobs = QByteArray(topics::kLedgerJobsLevel) + '/';
    const QByteArray hosts = QByteArray(topics::kLedgerHostsLevel) + '/';
    if (rest.startsWith(jobs)) {
        const QString id = QString::fromUtf8(rest.mid(jobs.size()));
        if (!id.isEmpty() && !m_jobs.contains(id)) {
            m_jobs.insert(id, 0); // ours from an earlier run: cleared unless still in the ledger
        }
    } else if (rest.startsWith(hosts)) {
        bool ok = false;
        const int page = rest.mid(hosts.size()).toInt(&ok);
        if (ok && page >= 0 && page < kMaxPages && page >= m_pages.size()) {
            m_pages.resize(page + 1, 0);
        }
    }
}

void LedgerPublisher::publishNow(bool stopped)
{
    if (m_options.intervalMs <= 0) {
        return;
    }
    if (const std::shared_ptr<const ProcessorSnapshot> snapshot = m_source()) {
        publish(*snapshot, stopped);
    }
}

void LedgerPublisher::publish(const ProcessorSnapshot &snapshot, bool stopped)
{
    if (m_mqtt.state() != ConnectionState::Connected) {
        return; // nothing queued: a viewer wants the ledger as it is, not as it was
    }
    publishJobs(snapshot);
    ledgerfeed::SummaryInfo info;
    info.processor = m_options.processorName;
    info.clientId = m_mqtt.clientId();
    info.intervalMs = m_options.intervalMs;
    info.stopped = stopped;
    info.jobs = static_cast<int>(snapshot.jobs.size());
    info.hosts = static_cast<int>(snapshot.hosts.size());
    info.hostPages = publishHosts(snapshot);
    // Last, so that a viewer that sees this summary has had the jobs and pages it counts.
    m_mqtt.publish(topics::ledgerSummary(m_options.processorName),
                   compact(ledgerfeed::summaryToJson(snapshot, info)), 1, true);
    ++m_counters.summaries;
}

bool LedgerPublisher::publishIfChanged(const QByteArray &topic, const QByteArray &payload,
                                       size_t *hash)
{
    size_t h = qHash(payload);
    h = h == 0 ? 1 : h; // 0 stands for "unknown"
    if (*hash == h) {
        return false;
    }
    *hash = h;
    m_mqtt.publish(topic, payload, 1, true);
    return true;
}

void LedgerPublisher::clear(const QByteArray &topic)
{
    m_mqtt.publish(topic, QByteArray(), 1, true);
    ++m_counters.cleared;
}

void LedgerPublisher::publishJobs(const ProcessorSnapshot &snapshot)
{
    QSet<QString> present;
    present.reserve(static_cast<qsizetype>(snapshot.jobs.size()));
    for (const JobSummary &job : snapshot.jobs) {
        present.insert(job.jobId);
        if (publishIfChanged(topics::ledgerJob(m_options.processorName, job.jobId),
                             compact(ledgerfeed::jobToJson(job)), &m_jobs[job.jobId])) {
            ++m_counters.jobMessages;
        }
    }
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        clear(topics::ledgerJob(m_options.processorName, it.key()));
        it = m_jobs.erase(it);
    }
}

int LedgerPublisher::publishHosts(const ProcessorSnapshot &snapshot)
{
    // Each host once as JSON (its counters from Ledger::hostsToJson), then cut into pages by
    // count and by bytes, in the ledger's order (by name).
    const QJsonObject counters = Ledger::hostsToJson(snapshot.hosts);
    QList<QByteArray> entries;
    entries.reserve(static_cast<qsizetype>(snapshot.hosts.size()));
    for (const HostSummary &host : snapshot.hosts) {
        entries.append(jsonString(host.host) + ':' +
                       compact(ledgerfeed::hostToJson(host, counters.value(host.host).toObject())));
    }
    QList<QPair<qsizetype, qsizetype>> pages; // [first, last) entries
    const int headroom = 128;                 // the page's own fields
    qsizetype first = 0;
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const qsizetype size = entries[i].size() + 1;
        if (i > first && (i - first >= m_options.hostsPerPage ||
                          bytes + size + headroom > m_options.maxPageBytes)) {
            pages.append({first, i});
            first = i;
            bytes = 0;
        }
        bytes += size;
    }
    if (first < entries.size()) {
        pages.append({first, entries.size()});
    }
    const int count = static_cast<int>(pages.size());
    const int known = static_cast<int>(m_pages.size());
    m_pages.resize(qMax(count, known), 0);
    for (int p = 0; p < count; ++p) {
        QByteArray payload = "{\"v\":" + QByteArray::number(ledgerfeed::kVersion) +
                             ",\"page\":" + QByteArray::number(p) +
                             ",\"pages\":" + QByteArray::number(count) + ",\"hosts\":{";
        for (qsizetype i = pages[p].first; i < pages[p].second; ++i) {
            payload += entries[i];
            payload += i + 1 < pages[p].second ? "," : "";
        }
        payload += "}}";
        if (publishIfChanged(topics::ledgerHostPage(m_options.processorName, p), payload,
                             &m_pages[p])) {
            ++m_counters.pageMessages;
        }
    }
    for (int p = count; p < m_pages.size(); ++p) {
        clear(topics::ledgerHostPage(m_options.processorName, p));
    }
    m_pages.resize(count);
    return count;
}

} // namespace greenpulse::core
