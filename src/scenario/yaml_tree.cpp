// See yaml_tree.hpp. The builder follows yaml-cpp 0.7's NodeBuilder event for event: a node's
// mark is its first event's, an alias is the anchored node itself (not a copy), a map's children
// alternate key and value, and duplicate keys are all kept.
#include "scenario/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <limits>
#include <sstream>

namespace entente::detail::yaml {

namespace {
const std::string kEmpty;

// Receives parser events without building anything: whether a second document starts.
struct Probe : YAML::EventHandler {
  YAML::Mark start = YAML::Mark::null_mark();
  void OnDocumentStart(const YAML::Mark& m) override { start = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};
}  // namespace

struct Builder : YAML::EventHandler {
  explicit Builder(Tree& t) : tree(t) {}
  Tree& tree;
  struct Frame {
    std::uint32_t node;
    std::vector<std::uint32_t> kids;  // filled as the collection's children end
  };
  std::vector<Frame> stack;
  std::vector<std::uint32_t> anchors;  // anchor id - 1 -> node
  std::vector<std::vector<std::uint32_t>> spare;  // kids buffers of closed frames, reused

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto id = make(mark, anchor, YAML::NodeType::Null);
    attach(id);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor == 0 || anchor > anchors.size()) throw YAML::ParserException(mark, "an alias to an unknown anchor");
    attach(anchors[anchor - 1]);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    const auto id = make(mark, anchor, YAML::NodeType::Scalar);
    tree.nodes_[id].tag = tag;
    tree.nodes_[id].scalar = value;
    attach(id);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YAML::NodeType::Sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YAML::NodeType::Map);
  }
  void OnMapEnd() override { close(); }

  std::uint32_t make(const YAML::Mark& mark, YAML::anchor_t anchor, YAML::NodeType::value type) {
    if (tree.nodes_.size() >= std::numeric_limits<std::uint32_t>::max())
      throw YAML::ParserException(mark, "too many nodes");
    const auto id = static_cast<std::uint32_t>(tree.nodes_.size());
    tree.nodes_.emplace_back();
    tree.nodes_.back().type = type;
    tree.nodes_.back().mark = mark;
    if (anchor) {
      // yaml-cpp numbers anchors 1, 2, ... in the order they are defined.
      if (anchors.size() < anchor) anchors.resize(anchor, id);
      anchors[anchor - 1] = id;
    }
    return id;
  }
  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YAML::NodeType::value type) {
    const auto id = make(mark, anchor, type);
    tree.nodes_[id].tag = tag;
    Frame f{id, {}};
    if (!spare.empty()) {
      f.kids = std::move(spare.back());
      spare.pop_back();
      f.kids.clear();
    }
    stack.push_back(std::move(f));
  }
  void close() {
    Frame f = std::move(stack.back());
    stack.pop_back();
    auto& d = tree.nodes_[f.node];
    // A map of an odd number of children cannot come from the parser; a dangling key is dropped
    // rather than read past.
    std::size_t n = f.kids.size();
    if (d.type == YAML::NodeType::Map) n -= n % 2;
    d.first = static_cast<std::uint32_t>(tree.kids_.size());
    d.count = static_cast<std::uint32_t>(n);
    tree.kids_.insert(tree.kids_.end(), f.kids.begin(), f.kids.begin() + static_cast<std::ptrdiff_t>(n));
    spare.push_back(std::move(f.kids));
    attach(f.node);
  }
  void attach(std::uint32_t id) {
    if (stack.empty()) tree.root_ = id;
    else stack.back().kids.push_back(id);
  }
};

Tree::Tree(std::string_view text) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  Builder builder(*this);
  if (!parser.HandleNextDocument(builder)) {
    nodes_.clear();
    return;
  }
  Probe second;
  if (parser.HandleNextDocument(second)) {
    has_second_ = true;
    second_start_ = second.start;
  }
}

YAML::NodeType::value Node::Type() const { return tree_ ? tree_->nodes_[id_].type : YAML::NodeType::Undefined; }
const std::string& Node::Tag() const {
  if (!tree_) return kEmpty;
  const auto& d = tree_->nodes_[id_];
  return d.type == YAML::NodeType::Null ? kEmpty : d.tag;
}
const std::string& Node::Scalar() const {
  return tree_ && tree_->nodes_[id_].type == YAML::NodeType::Scalar ? tree_->nodes_[id_].scalar : kEmpty;
}
YAML::Mark Node::Mark() const { return tree_ ? tree_->nodes_[id_].mark : YAML::Mark::null_mark(); }
std::size_t Node::size() const {
  if (!tree_) return 0;
  const auto& d = tree_->nodes_[id_];
  if (d.type == YAML::NodeType::Sequence) return d.count;
  if (d.type == YAML::NodeType::Map) return d.count / 2;
  return 0;
}
Node Node::operator[](std::size_t k) const {
  if (!tree_) return {};
  const auto& d = tree_->nodes_[id_];
  if (d.type != YAML::NodeType::Sequence || k >= d.count) return {};
  return Node(tree_, tree_->kids_[d.first + k]);
}
NodeIterator Node::begin() const {
  if (!IsMap()) return NodeIterator(nullptr, 0, 0);
  const auto& d = tree_->nodes_[id_];
  return NodeIterator(tree_, d.first, d.first + d.count);
}
NodeIterator Node::end() const {
  if (!IsMap()) return NodeIterator(nullptr, 0, 0);
  const auto& d = tree_->nodes_[id_];
  return NodeIterator(tree_, d.first + d.count, d.first + d.count);
}
void NodeIterator::load() {
  if (!tree_ || k_ >= end_) {
    pair_ = NodePair{};
    return;
  }
  pair_.first = Node(tree_, tree_->kids_[k_]);
  pair_.second = Node(tree_, tree_->kids_[k_ + 1]);
}

}  // namespace entente::detail::yaml
