#include "GrafanaSupport.h"

#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace greenpulse::test {

QList<QJsonObject> dashboardPanels(const QJsonArray &items)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : items) {
        const QJsonObject panel = v.toObject();
        if (panel.value(QLatin1String("type")).toString() != QLatin1String("row")) {
            out << panel;
        }
        out << dashboardPanels(panel.value(QLatin1String("panels")).toArray());
    }
    return out;
}

QList<QPair<double, double>> InfluxSeries::points(const QString &column) const
{
    QList<QPair<double, double>> out;
    const qsizetype c = columns.indexOf(column);
    for (const QJsonArray &row : rows) {
        if (c > 0 && !row.at(c).isNull()) {
            out.append({row.at(0).toDouble() / 1e9, row.at(c).toDouble()});
        }
    }
    return out;
}

InfluxAnswer influxGet(const InfluxServer &influx, const QString &db, const QString &influxql)
{
    QUrlQuery params;
    params.addQueryItem(QStringLiteral("db"), db);
    params.addQueryItem(QStringLiteral("epoch"), QStringLiteral("ns"));
    params.addQueryItem(QStringLiteral("q"),
                        QString::fromLatin1(QUrl::toPercentEncoding(influxql)));
    QUrl url(influx.url() + QStringLiteral("/query"));
    url.setQuery(params);
    InfluxAnswer answer;
    QByteArray body;
    answer.status = httpRequest(QStringLiteral("GET"), url.toString(QUrl::FullyEncoded), {}, &body);
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonObject result = json.value(QLatin1String("results")).toArray().at(0).toObject();
    answer.error = json.value(QLatin1String("error")).toString() +
                   result.value(QLatin1String("error")).toString();
    for (const QJsonValue &v : result.value(QLatin1String("series")).toArray()) {
        const QJsonObject o = v.toObject();
        InfluxSeries s;
        s.name = o.value(QLatin1String("name")).toString();
        s.tags = o.value(QLatin1String("tags")).toObject();
        for (const QJsonValue &c : o.value(QLatin1String("columns")).toArray()) {
            s.columns << c.toString();
        }
        for (const QJsonValue &row : o.value(QLatin1String("values")).toArray()) {
            s.rows << row.toArray();
        }
        answer.series << s;
    }
    return answer;
}

const QRegularExpression &grafanaVariablePattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(\$(\w+)|\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\])"));
    return re;
}

QString grafanaInterpolate(const QString &text, const QHash<QString, QString> &values)
{
    QString out;
    qsizetype last = 0;
    auto it = grafanaVariablePattern().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString name = m.captured(1) + m.captured(2) + m.captured(3);
        out += text.mid(last, m.capturedStart() - last);
        out += values.contains(name) ? values.value(name) : m.captured(0);
        last = m.capturedEnd();
    }
    return out + text.mid(last);
}

QString grafanaRegexValue(const QStringList &values)
{
    static const QRegularExpression special(QStringLiteral(R"([\\^$.|?*+()\[\]{}/])"));
    QStringList escaped;
    for (QString v : values) {
        escaped << v.replace(special, QStringLiteral(R"(\\0)"));
    }
    if (escaped.size() == 1) {
        return escaped.first();
    }
    return QLatin1Char('(') + escaped.join(QLatin1Char('|')) + QLatin1Char(')');
}

} // namespace greenpulse::test
