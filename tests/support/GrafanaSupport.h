#pragma once

#include "InfluxServer.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QStringList>

namespace greenpulse::test {

// Every panel of a Grafana dashboard's "panels" array, rows' nested panels included; the rows
// themselves are left out.
QList<QJsonObject> dashboardPanels(const QJsonArray &items);

// One series of an InfluxQL answer.
struct InfluxSeries
{
    QString name;
    QJsonObject tags;
    QStringList columns;
    QList<QJsonArray> rows;

    QString tag(const QString &key) const { return tags.value(key).toString(); }
    // (time in seconds, value) of every non-null value of a column; the time column must be
    // nanoseconds (epoch=ns).
    QList<QPair<double, double>> points(const QString &column) const;
};

struct InfluxAnswer
{
    int status = 0;             // HTTP status, 0 if no answer
    QString error;              // the answer's or its first result's "error"
    QList<InfluxSeries> series; // of the first result
};

// What Grafana's InfluxDB data source sends with httpMode GET: GET /query?db=&epoch=ns&q=.
InfluxAnswer influxGet(const InfluxServer &influx, const QString &db, const QString &influxql);

// $name, ${name}, ${name:format} and [[name]]: the variable references Grafana substitutes.
const QRegularExpression &grafanaVariablePattern();

// Grafana's substitution of template variables and data source macros ($timeFilter,
// $__interval, ...) by `values` (by name, without the $). Unknown names are left as they are.
QString grafanaInterpolate(const QString &text, const QHash<QString, QString> &values);

// A multi-value template variable as Grafana's InfluxDB data source puts it inside /^...$/:
// each value regex-escaped, several values as (a|b).
QString grafanaRegexValue(const QStringList &values);

} // namespace greenpulse::test
