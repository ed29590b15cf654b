#pragma once

// InfluxDB line protocol: escaping and a small point builder.
// measurement[,tag=value...] field=value[,field=value...] [timestamp]

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>

namespace greenpulse::core::lineprotocol {

// Measurement: escape commas and spaces.
QByteArray escapeMeasurement(QStringView name);
// Tag keys, tag values and field keys: escape commas, equals signs and spaces.
QByteArray escapeKey(QStringView key);
// String field values: wrapped in double quotes; escape double quotes and backslashes.
QByteArray quoteStringField(QStringView value);
// Newlines are not allowed in keys or tag values: they are replaced with a space. In string
// fields they are escaped as \n.

class Point
{
public:
    explicit Point(QStringView measurement);
    Point &tag(QStringView key, QStringView value); // empty values are skipped (not allowed)
    Point &field(QStringView key, double value);    // non-finite values are skipped
    Point &field(QStringView key, qint64 value);    // integer field (42i)
    Point &field(QStringView key, QStringView value);
    Point &field(QStringView key, bool value);
    // String literals would otherwise pick the bool overload (pointer-to-bool conversion).
    Point &field(QStringView key, const char16_t *value) { return field(key, QStringView(value)); }
    Point &field(QStringView key, const QString &value) { return field(key, QStringView(value)); }
    Point &field(QStringView key, const char *value) = delete; // say u"text" or QString
    Point &timestamp(qint64 ns);
    bool hasFields() const { return !m_fields.isEmpty(); }
    QByteArray toLine() const; // without trailing newline; empty when there are no fields

private:
    QByteArray m_measurement;
    QList<QPair<QByteArray, QByteArray>> m_tags; // sorted on output, as InfluxDB recommends
    QByteArray m_fields;
    qint64 m_timestamp = 0;
    bool m_hasTimestamp = false;
};

} // namespace greenpulse::core::lineprotocol
