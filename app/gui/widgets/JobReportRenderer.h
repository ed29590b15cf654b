#pragma once

#include <QCoreApplication>
#include <QRectF>
#include <QString>

class QPainter;

namespace greenpulse::app {

struct JobReport;

// A job's report as one A4 page, painted on any QPaintDevice (a QPdfWriter, a QImage, a widget):
// the title and span, a table of totals, the power chart (JobReportChart), the hosts with their
// zones and GPUs, the factors and their sources, coverage and the gap list, and a footer with
// the GreenPulse version and when it was generated. Lists too long for the page are cut with a
// line saying how many more the CSV holds.
class JobReportRenderer
{
    Q_DECLARE_TR_FUNCTIONS(JobReportRenderer)
public:
    // Page units: A4's proportions, scaled to the target's width.
    static constexpr double kPageWidth = 1000;
    static constexpr double kPageHeight = 1414;
    static constexpr double kMargin = 56;

    explicit JobReportRenderer(const JobReport &report) : m_report(report) {}

    // Paints the page into `target` (the device's coordinates), white background included.
    void paint(QPainter &painter, const QRectF &target) const;
    // The power chart's plot area, in page units (the same on every page).
    static QRectF plotRect();

private:
    double paintTitle(QPainter &painter, double y) const;
    double paintTotals(QPainter &painter, double y) const;
    double paintHosts(QPainter &painter, double y, int maxRows) const;
    double paintFactors(QPainter &painter, double y) const;
    double paintCoverage(QPainter &painter, double y, double bottom) const;
    void paintFooter(QPainter &painter) const;
    QString spanText() const;

    const JobReport &m_report;
};

} // namespace greenpulse::app
