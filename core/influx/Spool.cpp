#include "influx/Spool.h"

#include "base/DurableFile.h"
#include "base/Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimeZone>
#include <QUrl>
#include <unistd.h>
#include <zlib.h>

namespace greenpulse::core {

namespace {

const QLatin1String kSuffix(".lp");
// Bodies of the batches appended by this process kept in memory, so that sending does not read
// them back. Beyond this (a long outage) they are read from their files.
constexpr qint64 kMaxCachedBytes = 32LL * 1024 * 1024;

} // namespace

bool Spool::open(const QString &dir, QString *error)
{
    m_batches.clear();
    m_lines = 0;
    m_bytes = 0;
    m_cachedBytes = 0;
    m_nextSeq = 1;
    m_open = false;
    m_dir = dir;
    QString why;
    if (!durable::makePrivateDir(dir, &why)) { // 0700 when created here
        if (error) {
            *error = QStringLiteral("cannot create spool folder %1 (%2)").arg(dir, why);
        }
        return false;
    }
    QDir d(dir);
    // Leftovers of a write interrupted by a crash: never renamed, so never acknowledged as spooled.
    const QStringList temps = d.entryList({QStringLiteral("*.tmp")}, QDir::Files);
    for (const QString &name : temps) {
        qCInfo(lcInflux) << "Deleting incomplete spool file" << name;
        d.remove(name);
    }
    static const QRegularExpression pattern(QStringLiteral("^(\\d{20})_(\\d+)\\.lp$"));
    const QFileInfoList files = d.entryInfoList({QStringLiteral("*.lp")}, QDir::Files, QDir::Name);
    for (const QFileInfo &info : files) {
        const auto match = pattern.match(info.fileName());
        if (!match.hasMatch()) {
            continue; // rejected.lp and foreign files
        }
        Batch batch;
        batch.seq = match.captured(1).toULongLong();
        batch.lines = match.captured(2).toInt();
        batch.bytes = info.size();
        if (batch.bytes == 0) {
            d.remove(info.fileName());
            continue;
        }
        m_batches.push_back(batch);
        m_lines += static_cast<quint64>(batch.lines);
        m_bytes += batch.bytes;
        m_nextSeq = qMax(m_nextSeq, batch.seq + 1);
    }
    m_open = true;
    return true;
}

QString Spool::fileName(const Batch &batch) const
{
    return m_dir + QLatin1Char('/') +
           QStringLiteral("%1").arg(batch.seq, 20, 10, QLatin1Char('0')) + QLatin1Char('_') +
           QString::number(batch.lines) + kSuffix;
}

bool Spool::append(const QByteArray &body, int lines, QString *error)
{
    Batch batch;
    batch.seq = m_nextSeq;
    batch.lines = lines;
    batch.bytes = body.size();
    // "<name>.tmp" (0600), every write checked, fsync'd, renamed, the folder fsync'd.
    QString why;
    if (!durable::writeAtomically(fileName(batch), body, &why)) {
        if (error) {
            *error = QStringLiteral("cannot write to the spool: %1").arg(why);
        }
        return false;
    }
    ++m_nextSeq;
    if (m_cachedBytes + batch.bytes <= kMaxCachedBytes) {
        batch.body = body;
        m_cachedBytes += batch.bytes;
    }
    m_batches.push_back(batch);
    m_lines += static_cast<quint64>(lines);
    m_bytes += batch.bytes;
    return true;
}

quint64 Spool::trim(qint64 maxBytes, quint64 keepSeq)
{
    quint64 dropped = 0;
    auto it = m_batches.begin();
    // Keep at least the newest batch, even if it alone is larger than the bound.
    while (m_bytes > maxBytes && m_batches.size() > 1 && it != m_batches.end() - 1) {
        if (it->seq == keepSeq) {
            ++it;
            continue;
        }
        QFile::remove(fileName(*it));
        dropped += static_cast<quint64>(it->lines);
        forget(*it);
        it = m_batches.erase(it);
    }
    return dropped;
}

void Spool::forget(const Batch &batch)
{
    m_lines -= static_cast<quint64>(batch.lines);
    m_bytes -= batch.bytes;
    if (!batch.body.isNull()) {
        m_cachedBytes -= batch.bytes;
    }
}

bool Spool::read(const Batch &batch, QByteArray *body) const
{
    if (!batch.body.isEmpty()) {
        *body = batch.body;
        return true;
    }
    QFile file(fileName(batch));
    if (!file.open(QIODevice::ReadOnly)) {
        return false;
    }
    *body = file.readAll();
    return !body->isEmpty();
}

void Spool::remove(quint64 seq)
{
    for (auto it = m_batches.begin(); it != m_batches.end(); ++it) {
        if (it->seq == seq) {
            QFile::remove(fileName(*it));
            forget(*it);
            m_batches.erase(it);
            return;
        }
    }
}

QString Spool::rejectedPath() const
{
    return m_dir + QStringLiteral("/rejected.lp");
}

bool Spool::reject(const Batch &batch, const QByteArray &body, QString *error)
{
    QString why;
    const int fd = durable::openForAppend(rejectedPath(), &why);
    bool ok = fd >= 0 && durable::writeAll(fd, body, &why);
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        why = durable::lastSystemError();
    }
    if (fd >= 0) {
        ::close(fd);
    }
    if (!ok && error) {
        *error = QStringLiteral("cannot append to %1: %2").arg(rejectedPath(), why);
    }
    // The batch leaves the spool either way: retrying a refused batch would block the queue.
    remove(batch.seq);
    return ok;
}

QByteArray gzipCompress(const QByteArray &data)
{
    z_stream zs{};
    // windowBits 31 = 15 + 16: gzip header and trailer instead of a zlib wrapper.
    if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return {};
    }
    QByteArray out;
    out.resize(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(data.size()))) + 32);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto written = static_cast<qsizetype>(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        return {};
    }
    out.resize(written);
    return out;
}

namespace influxhttp {

namespace {

constexpr qint64 kMaxRetryAfterMs = 300000;

void addQueryItem(QByteArray &query, const char *key, const QString &value)
{
    if (!query.isEmpty()) {
        query.append('&');
    }
    // Percent-encode everything but unreserved characters ('+' included: servers read it as a
    // space).
    query.append(key).append('=').append(QUrl::toPercentEncoding(value));
}

// options.url + path, without any user:password@ part (credentials go in headers only).
QUrl endpoint(const InfluxOptions &o, const QString &path, const QByteArray &query)
{
    QUrl url(o.url);
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    url.setPath(base + path);
    url.setQuery(QString::fromLatin1(query));
    url.setUserInfo(QString());
    return url;
}

QByteArray authorization(const InfluxOptions &o)
{
    if (o.api == InfluxOptions::Api::V2) {
        return o.token.isEmpty() ? QByteArray() : "Token " + o.token.toUtf8();
    }
    QString user = o.username;
    QString password = o.password;
    if (user.isEmpty()) {
        const QUrl url(o.url);
        user = url.userName();
        password = url.password();
    }
    if (user.isEmpty()) {
        return {};
    }
    return "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

HttpRequest makeRequest(const InfluxOptions &o, const QUrl &url, const QByteArray &type)
{
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers.append({QByteArray("Content-Type"), type});
    const QByteArray auth = authorization(o);
    if (!auth.isEmpty()) {
        request.headers.append({QByteArray("Authorization"), auth});
    }
    return request;
}

} // namespace

// Retry-After: delay-seconds or an HTTP date. Returns -1 when absent or unreadable.
int parseRetryAfter(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty()) {
        return -1;
    }
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok) {
        return seconds < 0 ? -1 : static_cast<int>(qMin(seconds * 1000, kMaxRetryAfterMs));
    }
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(v).remove(QStringLiteral(" GMT")),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!when.isValid()) {
        return -1;
    }
    when.setTimeZone(QTimeZone::utc());
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(when);
    return static_cast<int>(qBound(qint64(0), ms, kMaxRetryAfterMs));
}

int retryDelay(int backoffMs, int retryAfterMs)
{
    if (retryAfterMs >= 0) {
        // The server said when; a little jitter on top spreads out many clients.
        return retryAfterMs + static_cast<int>(QRandomGenerator::global()->bounded(250));
    }
    return backoffMs / 2 + static_cast<int>(QRandomGenerator::global()->bounded(backoffMs / 2 + 1));
}

// The server's explanation: v1 {"error": ...}, v2 {"message": ...}, else the start of the body.
QString serverMessage(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    QString message = json.value(QStringLiteral("error")).toString();
    if (message.isEmpty()) {
        message = json.value(QStringLiteral("message")).toString();
    }
    if (message.isEmpty()) {
        message = QString::fromUtf8(body.left(300)).simplified();
    }
    return message.left(300);
}

QString spoolDir(const InfluxOptions &o)
{
    if (!o.spoolDir.isEmpty()) {
        return o.spoolDir;
    }
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/spool");
}

HttpRequest writeRequest(const InfluxOptions &o)
{
    QByteArray query;
    QString path;
    if (o.api == InfluxOptions::Api::V2) {
        path = QStringLiteral("/api/v2/write");
        addQueryItem(query, "org", o.org);
        addQueryItem(query, "bucket", o.bucket);
    } else {
        path = QStringLiteral("/write");
        addQueryItem(query, "db", o.database);
        if (!o.retentionPolicy.isEmpty()) {
            addQueryItem(query, "rp", o.retentionPolicy);
        }
    }
    addQueryItem(query, "precision", QStringLiteral("ns"));
    return makeRequest(o, endpoint(o, path, query), QByteArrayLiteral("text/plain; charset=utf-8"));
}

HttpRequest createDatabaseRequest(const InfluxOptions &o)
{
    QString name = o.database;
    name.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    name.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    HttpRequest request = makeRequest(o, endpoint(o, QStringLiteral("/query"), {}),
                                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    addQueryItem(request.body, "q", QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
    return request;
}

// Error strings may quote URLs or server text: make sure no credential gets through.
QString sanitize(const InfluxOptions &o, QString text)
{
    for (const QString &secret : {o.token, o.password, QUrl(o.url).password()}) {
        if (!secret.isEmpty()) {
            text.replace(secret, QStringLiteral("***"));
        }
    }
    return text;
}

void ProblemLog::warn(const QString &message)
{
    if (message == m_last && m_since.isValid() && m_since.elapsed() < 60000) {
        ++m_suppressed;
        return;
    }
    if (m_suppressed > 0 && message == m_last) {
        qCWarning(lcInflux).noquote()
            << message << QStringLiteral("(%1 times)").arg(m_suppressed + 1);
    } else {
        qCWarning(lcInflux).noquote() << message;
    }
    m_last = message;
    m_since.start();
    m_suppressed = 0;
}

} // namespace influxhttp

} // namespace greenpulse::core
