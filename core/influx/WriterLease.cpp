#include "influx/WriterLease.h"

#include "base/Logging.h"
#include "http/HttpConnection.h"
#include "influx/InfluxRequests.h"
#include "influx/LineProtocol.h"
#include "influx/Spool.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSysInfo>
#include <QTimer>
#include <unistd.h>

namespace greenpulse::core {

namespace {

// A check whose heartbeat was acknowledged but whose own rows never show (a server that takes
// writes but cannot answer InfluxQL the way we ask) gives up after this many checks.
constexpr int kUnseenChecks = 3;

struct Seen
{
    qint64 first = 0; // server time (ms) of its first heartbeat in the window
    qint64 since = 0; // its `since` field, once it has one
    QString host;
    QString program;
    qint64 seniority() const { return since > 0 ? since : first; }
};

QString hhmmss(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

} // namespace

bool parseWriterMode(const QString &text, InfluxOptions::WriterMode *mode)
{
    static const QMap<QString, InfluxOptions::WriterMode> names{
        {QStringLiteral("off"), InfluxOptions::WriterMode::Off},
        {QStringLiteral("auto"), InfluxOptions::WriterMode::Auto},
        {QStringLiteral("always"), InfluxOptions::WriterMode::Always},
        {QStringLiteral("never"), InfluxOptions::WriterMode::Never},
    };
    const auto it = names.find(text.trimmed().toLower());
    if (it == names.end()) {
        return false;
    }
    *mode = it.value();
    return true;
}

struct WriterLease::Impl
{
    enum class Step { Idle, Heartbeat, CreateDatabase, Query };

    WriterLease *q = nullptr;
    InfluxOptions options;
    HttpConnection *http = nullptr;
    QTimer *timer = nullptr;
    Step step = Step::Idle;
    Decision decision = Decision::Writing;
    QString id;
    QString host = QSysInfo::machineHostName();
    QString program;
    qint64 since = 0; // our seniority, once our first heartbeat was seen
    bool heartbeatAcked = false;
    QElapsedTimer lastAck; // our last acknowledged heartbeat
    int unseen = 0;        // checks in a row with our heartbeat acknowledged but not seen
    quint64 notWritten = 0;
    QString note;
    QString warned; // the last note logged, so each is logged once

    bool active() const
    {
        return options.enabled() && options.writerMode != InfluxOptions::WriterMode::Off;
    }
    bool heartbeats() const { return options.writerMode != InfluxOptions::WriterMode::Never; }
    void tick();
    void sendHeartbeat();
    void sendQuery();
    void onFinished(const HttpResponse &response);
    void decide(const QMap<QString, Seen> &writers);
    void cannotCheck(const QString &why, bool permanent);
    void set(Decision next, const QString &text);
};

void WriterLease::Impl::tick()
{
    if (step != Step::Idle || !active()) {
        return;
    }
    if (heartbeats()) {
        sendHeartbeat();
    } else {
        sendQuery();
    }
}

void WriterLease::Impl::sendHeartbeat()
{
    lineprotocol::Point point{QString::fromLatin1(kMeasurement)};
    point.tag(u"writer", id).field(u"host", host).field(u"program", program);
    point.field(u"pid", static_cast<qint64>(::getpid()));
    if (since > 0 && (!lastAck.isValid() || lastAck.elapsed() > (kStaleSeconds - 5) * 1000)) {
        // Others may have seen us stale (and taken over): our seniority is gone, unless the
        // rows in the window still carry it.
        since = 0;
    }
    if (since > 0) {
        point.field(u"since", since);
    }
    HttpRequest request = influxhttp::writeRequest(options);
    request.body = point.toLine() + '\n';
    step = Step::Heartbeat;
    http->send(request);
}

void WriterLease::Impl::sendQuery()
{
    step = Step::Query;
    http->send(influxhttp::queryRequest(
        options, QStringLiteral("SELECT \"writer\", \"host\", \"program\", \"since\" FROM "
                                "\"%1\" WHERE time > now() - %2s")
                     .arg(QLatin1String(kMeasurement))
                     .arg(kStaleSeconds)));
}

void WriterLease::Impl::onFinished(const HttpResponse &response)
{
    const Step done = step;
    step = Step::Idle;
    const bool ok = response.status >= 200 && response.status < 300;
    if (done == Step::Heartbeat) {
        heartbeatAcked = ok;
        if (ok) {
            lastAck.start();
        }
        if (response.status == 404 && options.api == InfluxOptions::Api::V1 &&
            response.body.contains("database not found")) {
            step = Step::CreateDatabase; // the writer would create it at its first write anyway
            http->send(influxhttp::createDatabaseRequest(options));
            return;
        }
        if (response.status == 401 || response.status == 403) {
            // No write access: the writer will say so (AuthError); a pure viewer wants `never`.
            cannotCheck(QStringLiteral("the heartbeat was refused, HTTP %1; use --influx-writer "
                                       "never to only view")
                            .arg(response.status),
                        true);
            return;
        }
        sendQuery();
        return;
    }
    if (done == Step::CreateDatabase) {
        sendQuery();
        return;
    }
    const QString why = influxhttp::sanitize(
        options, response.status > 0 ? QStringLiteral("HTTP %1: %2")
                                           .arg(response.status)
                                           .arg(influxhttp::serverMessage(response.body))
                                     : response.error);
    if (response.status == 0 || response.status >= 500 || response.status == 429) {
        cannotCheck(why, false);
        return;
    }
    const QJsonObject result = QJsonDocument::fromJson(response.body)
                                   .object()
                                   .value(u"results")
                                   .toArray()
                                   .at(0)
                                   .toObject();
    const QString error = result.value(u"error").toString();
    if (!ok || (!error.isEmpty() && !error.contains(QLatin1String("database not found")))) {
        cannotCheck(ok ? error : why, true);
        return;
    }
    QMap<QString, Seen> writers;
    const QJsonObject series = result.value(u"series").toArray().at(0).toObject();
    const QJsonArray columns = series.value(u"columns").toArray();
    const int cWriter = columns.toVariantList().indexOf(QStringLiteral("writer"));
    const int cHost = columns.toVariantList().indexOf(QStringLiteral("host"));
    const int cProgram = columns.toVariantList().indexOf(QStringLiteral("program"));
    const int cSince = columns.toVariantList().indexOf(QStringLiteral("since"));
    for (const QJsonValue &value : series.value(u"values").toArray()) {
        const QJsonArray row = value.toArray();
        const QString writer = row.at(cWriter).toString();
        const qint64 time = static_cast<qint64>(row.at(0).toDouble());
        if (writer.isEmpty() || time <= 0) {
            continue;
        }
        Seen &seen = writers[writer];
        seen.first = seen.first == 0 ? time : qMin(seen.first, time);
        seen.since = qMax(seen.since, static_cast<qint64>(row.at(cSince).toDouble()));
        seen.host = row.at(cHost).toString();
        seen.program = row.at(cProgram).toString();
    }
    decide(writers);
}

void WriterLease::Impl::decide(const QMap<QString, Seen> &writers)
{
    if (!writers.contains(id)) {
        since = 0; // not fresh in anyone's eyes
    } else if (since == 0) {
        since = writers[id].seniority(); // a restart under our id inherits its seniority
    }
    QString owner;
    for (auto it = writers.begin(); it != writers.end(); ++it) {
        const qint64 s = it.key() == id ? since : it.value().seniority();
        const qint64 o = owner == id ? since : writers[owner].seniority();
        if (owner.isEmpty() || s < o || (s == o && it.key() < owner)) {
            owner = it.key();
        }
    }
    const bool other = !owner.isEmpty() && owner != id;
    const QString who = other ? QStringLiteral("%1/%2 writes to this database since %3")
                                    .arg(writers[owner].host, writers[owner].program,
                                         hhmmss(writers[owner].seniority()))
                              : QString();
    switch (options.writerMode) {
    case InfluxOptions::WriterMode::Never:
        set(Decision::Viewing, QStringLiteral("viewing only (--influx-writer never)") +
                                   (other ? QStringLiteral(": ") + who : QString()));
        return;
    case InfluxOptions::WriterMode::Always:
        set(Decision::Writing, other ? QStringLiteral("writing (--influx-writer always), but %1 "
                                                      "as well: their points overwrite ours")
                                           .arg(who)
                                     : QString());
        return;
    default:
        break;
    }
    if (other && (since > 0 || !heartbeatAcked)) {
        unseen = 0;
        set(Decision::Viewing, QStringLiteral("viewing only: ") + who);
    } else if (since > 0) {
        unseen = 0;
        set(Decision::Writing, QString());
    } else if (heartbeatAcked && ++unseen >= kUnseenChecks) {
        cannotCheck(QStringLiteral("our heartbeat never shows in a query"), true);
    }
}

void WriterLease::Impl::cannotCheck(const QString &why, bool permanent)
{
    if (options.writerMode == InfluxOptions::WriterMode::Never) {
        set(Decision::Viewing,
            QStringLiteral("viewing only (--influx-writer never); cannot check who writes (%1)")
                .arg(why));
    } else if (permanent) {
        // The server takes writes but cannot tell us who else writes (e.g. VictoriaMetrics, or
        // InfluxDB 2.x without a DBRP mapping for the database): write as without a lease.
        timer->stop();
        set(Decision::Writing,
            QStringLiteral("cannot check for other writers of this database (%1); writing")
                .arg(why));
    } else if (decision == Decision::Writing) {
        // Not confirmed: keep spooling, send again when a check says we still write.
        set(Decision::Undecided, QStringLiteral("cannot check for other writers (%1)").arg(why));
    }
}

void WriterLease::Impl::set(Decision next, const QString &text)
{
    note = text;
    if (!text.isEmpty() && text != warned) {
        qCInfo(lcInflux).noquote() << "InfluxDB writer lease:" << text;
    }
    warned = text;
    if (next == decision) {
        return;
    }
    if (next == Decision::Writing) {
        qCInfo(lcInflux).noquote()
            << QStringLiteral("InfluxDB writer lease: this process writes %1 as %2/%3 (writer %4)")
                   .arg(options.database, host, program, id);
    }
    decision = next;
    emit q->decisionChanged(next);
}

WriterLease::WriterLease(QObject *parent) : QObject(parent), d(std::make_unique<Impl>())
{
    d->q = this;
    d->program = QCoreApplication::applicationName();
    d->http = new HttpConnection(this);
    d->http->setTimeout(kHeartbeatMs * 2);
    connect(d->http, &HttpConnection::finished, this,
            [this](const HttpResponse &response) { d->onFinished(response); });
    d->timer = new QTimer(this);
    d->timer->setInterval(kHeartbeatMs);
    connect(d->timer, &QTimer::timeout, this, [this] { d->tick(); });
}

WriterLease::~WriterLease()
{
    d->timer->stop();
    delete d->http; // before `d` goes: nothing it does afterwards can reach the lease
    d->http = nullptr;
}

void WriterLease::start(const InfluxOptions &options)
{
    stop();
    d->options = options;
    // Stable for one host, program and spool folder: a restart keeps the lease.
    const QByteArray key = (d->host + QLatin1Char('\n') + d->program + QLatin1Char('\n') +
                            QDir(Spool::folderFor(options)).absolutePath())
                               .toUtf8();
    d->id = QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(12));
    if (!d->active()) {
        d->set(Decision::Writing, QString());
        return;
    }
    // always: writing from the start; never: viewing from the start; auto: after the first check.
    const Decision first =
        options.writerMode == InfluxOptions::WriterMode::Always  ? Decision::Writing
        : options.writerMode == InfluxOptions::WriterMode::Never ? Decision::Viewing
                                                                 : Decision::Undecided;
    d->set(first, QString());
    d->timer->start();
    d->tick();
}

void WriterLease::stop()
{
    d->timer->stop();
    d->http->abort();
    d->step = Impl::Step::Idle;
    d->since = 0;
    d->heartbeatAcked = false;
    d->lastAck.invalidate();
    d->unseen = 0;
}

WriterLease::Decision WriterLease::decision() const
{
    return d->decision;
}

bool WriterLease::admit(qint64 lines)
{
    if (d->decision != Decision::Viewing) {
        return true;
    }
    d->notWritten += static_cast<quint64>(lines);
    return false;
}

quint64 WriterLease::notWritten() const
{
    return d->notWritten;
}

QString WriterLease::note() const
{
    return d->note;
}

QString WriterLease::writerId() const
{
    return d->id;
}

} // namespace greenpulse::core
