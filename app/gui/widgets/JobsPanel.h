#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace greenpulse::app {

class JobsTableModel;

// The jobs table: sortable, filterable, with CSV export and a job's report (reportAction():
// the button next to Export CSV, the table's context menu and the File menu trigger it; enabled
// while a job is selected; JobReportExporter does the work).
class JobsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPanel(QWidget *parent = nullptr);

    JobsTableModel &model() { return *m_model; }
    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

    QString selectedJobId() const;
    QString selectedRunningJobId() const; // empty unless the selected job runs
    void selectJob(const QString &jobId);

    // Asks for a file name, then writes the CSV; errors are shown in a message box, success is
    // announced by exported().
    void exportCsvInteractive();
    // Writes the CSV to `path`: exported() on success, else false with *error.
    bool exportCsvTo(const QString &path, QString *error = nullptr);

    QAction *reportAction() const { return m_reportAction; }

    QLineEdit *filterEdit() const { return m_filter; }
    QString countText() const; // "2 running · 9 total", "3 of 9 shown · 2 running"
    // The panel's height that shows `rows` whole rows of the table, with its title row.
    int heightForRows(int rows) const;

signals:
    void selectionChanged();
    void exported(const QString &path, int jobs); // jobs: rows other than idle
    void filterChanged(const QString &text);      // the filter box's text

private:
    void updateCount();
    void showContextMenu(const QPoint &pos);

    JobsTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    QAction *m_reportAction = nullptr;
};

} // namespace greenpulse::app
