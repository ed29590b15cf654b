#include "influx/HistoryQuery.h"

#include "influx/InfluxRequests.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace greenpulse::core {

namespace {

// An InfluxQL identifier in double quotes.
QString quoted(QString name)
{
    name.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    name.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + name + QLatin1Char('"');
}

} // namespace

qint64 HistoryRequest::bucketMs() const
{
    const qint64 span = std::max<qint64>(toMs - fromMs, 1000);
    const qint64 perPoint = span / std::max(maxPoints, 1);
    const qint64 seconds = (perPoint + 999) / 1000; // whole seconds, rounded up, at least one
    return std::max<qint64>(seconds, 1) * 1000;
}

QString HistoryRequest::influxql() const
{
    QStringList selected;
    for (const QString &field : fields) {
        selected << QStringLiteral("%1(%2) AS %2").arg(aggregate, quoted(field));
    }
    return QStringLiteral("SELECT %1 FROM %2 WHERE time >= %3ms AND time < %4ms GROUP BY "
                          "time(%5ms), %6 fill(none) SLIMIT %7")
        .arg(selected.join(QStringLiteral(", ")), quoted(measurement))
        .arg(fromMs)
        .arg(toMs)
        .arg(bucketMs())
        .arg(quoted(tag))
        .arg(maxSeries);
}

HistoryQuery::HistoryQuery(QObject *parent) : QObject(parent), m_http(new HttpConnection(this))
{
    m_http->setTimeout(influxhttp::kRequestTimeoutMs);
    m_http->setMaxResponseBytes(kMaxAnswerBytes);
    connect(m_http, &HttpConnection::finished, this, &HistoryQuery::onFinished);
}

void HistoryQuery::start(const InfluxOptions &options, const HistoryRequest &request)
{
    m_options = options;
    m_request = request;
    m_http->send(influxhttp::queryRequest(options, request.influxql()));
}

void HistoryQuery::onFinished(const HttpResponse &response)
{
    if (response.status < 200 || response.status >= 300) {
        HistoryAnswer failed;
        failed.error = influxhttp::sanitize(
            m_options, response.status > 0 ? QStringLiteral("HTTP %1: %2")
                                                 .arg(response.status)
                                                 .arg(influxhttp::serverMessage(response.body))
                                           : response.error);
        emit finished(failed);
        return;
    }
    emit finished(parse(response.body, m_request));
}

HistoryAnswer HistoryQuery::parse(const QByteArray &body, const HistoryRequest &request)
{
    HistoryAnswer answer;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        answer.error = QStringLiteral("unreadable answer: %1").arg(error.errorString());
        return answer;
    }
    const QJsonObject result = document.object().value(u"results").toArray().at(0).toObject();
    answer.error = result.value(u"error").toString();
    if (answer.error.isEmpty()) {
        answer.error = document.object().value(u"error").toString();
    }
    if (answer.error.contains(QLatin1String("database not found"))) {
        answer.error.clear(); // nothing written yet: no history, not a failure
    }
    if (!answer.error.isEmpty()) {
        return answer;
    }
    for (const QJsonValue &value : result.value(u"series").toArray()) {
        const QJsonObject series = value.toObject();
        const QString tagValue = series.value(u"tags").toObject().value(request.tag).toString();
        const QJsonArray columns = series.value(u"columns").toArray();
        const QJsonArray rows = series.value(u"values").toArray();
        for (int c = 1; c < columns.size(); ++c) {
            HistorySeries out{request.measurement, tagValue, columns.at(c).toString(), {}};
            out.points.reserve(rows.size());
            for (const QJsonValue &row : rows) {
                const QJsonArray cells = row.toArray();
                if (cells.at(c).isDouble()) { // null: no value of this field in the bucket
                    out.points.append(QPointF(cells.at(0).toDouble(), cells.at(c).toDouble()));
                }
            }
            if (!out.points.isEmpty()) {
                answer.series.append(std::move(out));
            }
        }
    }
    return answer;
}

} // namespace greenpulse::core
