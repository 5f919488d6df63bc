#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace vcluster::cli {

enum class OutputFormat { Text, Json };

// Parses the output-format parameter ("text" or "json"); throws Error.
OutputFormat parseOutputFormat(const std::string& text);

std::string jsonEscape(const std::string& text);

// A Rocks-style listing: an upper-case header, aligned columns, the first
// column suffixed with ':' when it names the object (as `rocks list host`
// does); or, as JSON, an array of objects keyed by the lower-case header.
class Table {
  public:
    enum class Kind { Text, Number };
    struct Column {
        std::string header;
        Kind kind = Kind::Text;
    };

    explicit Table(std::vector<Column> columns, bool keyed = true);
    void addRow(std::vector<std::string> cells);
    void reserve(std::size_t rows) { cells_.reserve(rows * columns_.size()); }
    std::size_t rows() const { return cells_.size() / columns_.size(); }
    void render(std::ostream& out, OutputFormat format) const;

  private:
    void renderText(std::ostream& out) const;
    void renderJson(std::ostream& out) const;
    std::vector<Column> columns_;
    const std::string& cell(std::size_t row, std::size_t column) const {
        return cells_[row * columns_.size() + column];
    }
    std::vector<std::string> cells_;  // row-major, one allocation for the lot
    bool keyed_;
};

}  // namespace vcluster::cli
