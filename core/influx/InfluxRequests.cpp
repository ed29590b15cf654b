#include "influx/InfluxRequests.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>
#include <QUrl>
#include <zlib.h>

namespace greenpulse::core {

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

Backoff::Policy retryBackoffPolicy()
{
    Backoff::Policy policy;
    policy.initialMs = 500;
    policy.maxMs = 30000;
    policy.multiplier = 2.0;
    policy.jitterLow = 0.5; // "equal jitter": between half the step and the whole step
    policy.jitterHigh = 1.0;
    policy.retryAfterJitterMs = 250;
    return policy;
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

HttpRequest queryRequest(const InfluxOptions &o, const QString &influxql, const QString &epoch)
{
    QByteArray query;
    addQueryItem(query, "db", o.database);
    if (!o.retentionPolicy.isEmpty()) {
        addQueryItem(query, "rp", o.retentionPolicy);
    }
    addQueryItem(query, "epoch", epoch);
    addQueryItem(query, "q", influxql);
    HttpRequest request = makeRequest(o, endpoint(o, QStringLiteral("/query"), query), {});
    request.method = "GET";
    request.headers.removeIf([](const auto &h) { return h.first == "Content-Type"; });
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

} // namespace influxhttp

} // namespace greenpulse::core
