#pragma once

#include <QImage>
#include <QSize>
#include <QString>

namespace greenpulse::app {

struct JobReport;

// Saves a job's report (docs/dashboard.md, "Job report") in the format its file name's suffix
// names: .pdf (Qt's PDF writer, one A4 page), .png (the same painting on an image) or .csv (every
// value to the last digit, every host, gap and chart point; one row per value).
class JobReportWriter
{
public:
    enum class Format { Pdf, Png, Csv, Unknown };
    static Format formatOf(const QString &path); // by suffix, case-insensitive

    static constexpr int kPdfDpi = 300;
    static QSize pngSize(); // A4 at 150 dpi

    // Writes `report` to `path` (replacing it only once complete); false with *error otherwise.
    static bool write(const JobReport &report, const QString &path, QString *error = nullptr);

    // The CSV's columns: section,key,host,value,unit,from_utc,to_utc,note.
    static QString toCsv(const JobReport &report);
    static QImage toImage(const JobReport &report, const QSize &size = pngSize());

private:
    static bool writePdf(const JobReport &report, const QString &path, QString *error);
    static bool writePng(const JobReport &report, const QString &path, QString *error);
    static bool writeCsv(const JobReport &report, const QString &path, QString *error);
};

} // namespace greenpulse::app
