// A read-only YAML tree built straight from yaml-cpp's parser events, with the subset of
// YAML::Node's interface the native scenario reader uses (same names, same answers).
//
// Why not YAML::Load: its nodes cost a shared_ptr, a node_ref and a node_data each, which made
// loading a 43 KB scenario three times slower than scanning it; and Load cannot tell whether a
// second document follows, so the text was parsed twice. Here one parser pass builds the first
// document into flat arrays and then checks for a second.
#pragma once

#include <yaml-cpp/mark.h>
#include <yaml-cpp/node/type.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace entente::detail::yaml {

class Tree;
class NodeIterator;

class Node {
 public:
  Node() = default;  // undefined: what a missing key gives

  [[nodiscard]] YAML::NodeType::value Type() const;
  [[nodiscard]] bool IsDefined() const { return Type() != YAML::NodeType::Undefined; }
  [[nodiscard]] bool IsNull() const { return Type() == YAML::NodeType::Null; }
  [[nodiscard]] bool IsScalar() const { return Type() == YAML::NodeType::Scalar; }
  [[nodiscard]] bool IsSequence() const { return Type() == YAML::NodeType::Sequence; }
  [[nodiscard]] bool IsMap() const { return Type() == YAML::NodeType::Map; }
  // "?" for a plain scalar or collection, "!" for a quoted scalar, else the explicit tag; "" for
  // null and undefined nodes (as yaml-cpp).
  [[nodiscard]] const std::string& Tag() const;
  [[nodiscard]] const std::string& Scalar() const;  // "" unless a scalar
  [[nodiscard]] YAML::Mark Mark() const;             // null_mark() when undefined
  // Entries of a sequence, pairs of a map (duplicate keys included, in the order written).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] Node operator[](std::size_t k) const;  // a sequence's entry k; undefined otherwise

  // Iterates a map's pairs in the order written (nothing for other nodes).
  [[nodiscard]] NodeIterator begin() const;
  [[nodiscard]] NodeIterator end() const;


 private:
  friend class Tree;
  friend class NodeIterator;
  Node(const Tree* t, std::uint32_t id) : tree_(t), id_(id) {}
  const Tree* tree_ = nullptr;
  std::uint32_t id_ = 0;
};

struct NodePair {
  Node first, second;
};

class NodeIterator {
 public:
  const NodePair* operator->() const { return &pair_; }
  const NodePair& operator*() const { return pair_; }
  NodeIterator& operator++() {
    k_ += 2;
    load();
    return *this;
  }
  bool operator!=(const NodeIterator& o) const { return k_ != o.k_; }
  bool operator==(const NodeIterator& o) const { return k_ == o.k_; }

 private:
  friend class Node;
  NodeIterator(const Tree* t, std::uint32_t k, std::uint32_t end) : tree_(t), k_(k), end_(end) { load(); }
  void load();
  const Tree* tree_ = nullptr;
  std::uint32_t k_ = 0, end_ = 0;
  NodePair pair_;
};

// The first document of `text` (no document: an undefined root), and whether a second one
// follows. Throws YAML::Exception (with its mark) on a syntax error.
class Tree {
 public:
  explicit Tree(std::string_view text);
  [[nodiscard]] Node root() const { return nodes_.empty() ? Node() : Node(this, root_); }
  [[nodiscard]] bool has_second() const { return has_second_; }
  [[nodiscard]] YAML::Mark second_start() const { return second_start_; }

 private:
  friend class Node;
  friend class NodeIterator;
  friend struct Builder;
  struct Data {
    YAML::NodeType::value type = YAML::NodeType::Undefined;
    YAML::Mark mark;
    std::string tag, scalar;
    std::uint32_t first = 0, count = 0;  // children in kids_: entries, or key, value, key, value...
  };
  std::vector<Data> nodes_;
  std::vector<std::uint32_t> kids_;
  std::uint32_t root_ = 0;
  bool has_second_ = false;
  YAML::Mark second_start_ = YAML::Mark::null_mark();
};

}  // namespace entente::detail::yaml
