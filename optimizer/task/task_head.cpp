#include "task/task_head.h"

#include "task/task_error.h"

namespace bespoke::task {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// The final activation node of `graph`, or -1.
int final_activation(const ir::Graph& graph) {
  const int node = graph.producer(graph.outputs.at(0));
  if (node < 0) return -1;
  const std::string& op = graph.nodes[static_cast<size_t>(node)].op;
  return op == "Softmax" || op == "Sigmoid" ? node : -1;
}

TaskKind parse_task(const std::string& name, const std::vector<int64_t>& shape, std::string& how) {
  if (name == "classify") return TaskKind::kClassify;
  if (name == "ctc") return TaskKind::kCtc;
  if (name == "dense") return TaskKind::kDense;
  how = "auto: ";
  switch (shape.size()) {
    case 2: return TaskKind::kClassify;
    case 3: return TaskKind::kCtc;
    case 4: return TaskKind::kDense;
    default:
      throw TaskError("[teacher] task = \"auto\": the teacher's output " + shape_text(shape) +
                      " is none of [N, K] (classify), [N, T, C] (ctc), [N, 1, H, W] (dense)");
  }
}

}  // namespace

const char* task_name(TaskKind kind) {
  switch (kind) {
    case TaskKind::kClassify: return "classify";
    case TaskKind::kCtc: return "ctc";
    case TaskKind::kDense: return "dense";
  }
  return "?";
}

int64_t TaskHead::classes() const {
  switch (kind) {
    case TaskKind::kClassify: return output_shape.at(1);
    case TaskKind::kCtc: return output_shape.at(2);
    case TaskKind::kDense: return 1;
  }
  return 0;
}

std::string TaskHead::metric_name() const {
  switch (kind) {
    case TaskKind::kClassify: return "accuracy";
    case TaskKind::kCtc: return "line_accuracy";
    case TaskKind::kDense: return "box_f1";
  }
  return "?";
}

data::LabelKind TaskHead::label_kind() const {
  switch (kind) {
    case TaskKind::kClassify: return data::LabelKind::kClasses;
    case TaskKind::kCtc: return data::LabelKind::kText;
    case TaskKind::kDense: return data::LabelKind::kBoxes;
  }
  return data::LabelKind::kClasses;
}

TaskHead resolve_task_head(const config::TeacherConfig& c, const ir::Graph& teacher) {
  if (teacher.outputs.size() != 1)
    throw TaskError("the teacher has " + std::to_string(teacher.outputs.size()) + " outputs; a task head reads one");
  TaskHead head;
  head.output_shape = teacher.shape_of(teacher.outputs[0]);
  const std::string shape = shape_text(head.output_shape);
  std::string how;
  head.kind = parse_task(c.task, head.output_shape, how);
  const size_t rank = head.kind == TaskKind::kClassify ? 2 : head.kind == TaskKind::kCtc ? 3 : 4;
  static const char* const kForms[] = {"[N, K]", "[N, T, C]", "[N, 1, H, W]"};
  if (head.output_shape.size() != rank)
    throw TaskError(std::string("[teacher] task = \"") + task_name(head.kind) + "\" needs an output " +
                    kForms[rank - 2] + ", but the teacher's output is " + shape);
  for (int64_t d : head.output_shape)
    if (d <= 0) throw TaskError("the teacher's output " + shape + " has a dimension that is not positive");
  if (head.kind == TaskKind::kClassify && head.output_shape[1] < 2)
    throw TaskError("task classify: the teacher's output " + shape + " has fewer than 2 classes");
  if (head.kind == TaskKind::kDense && head.output_shape[1] != 1)
    throw TaskError("task dense: the teacher's output " + shape + " has " + std::to_string(head.output_shape[1]) +
                    " channels; a probability map has one ([N, 1, H, W])");

  std::string activation = "no final activation";
  if (const int node = final_activation(teacher); node >= 0) {
    const ir::Node& n = teacher.nodes[static_cast<size_t>(node)];
    if (n.op == "Sigmoid") {
      head.activation = OutputActivation::kSigmoid;
      activation = "Sigmoid";
    } else {
      int64_t axis = n.get_int("axis", -1);
      if (axis < 0) axis += static_cast<int64_t>(rank);
      const int64_t class_axis = head.kind == TaskKind::kCtc ? 2 : 1;
      if (head.kind == TaskKind::kDense || axis != class_axis)
        throw TaskError(std::string("task ") + task_name(head.kind) + ": the teacher's output " + shape +
                        " comes from a Softmax over axis " + std::to_string(axis) +
                        (head.kind == TaskKind::kDense ? "; a probability map ends with a Sigmoid or nothing"
                                                       : ", not over the classes (axis " +
                                                             std::to_string(class_axis) + ")"));
      head.activation = OutputActivation::kSoftmax;
      activation = "Softmax over axis " + std::to_string(axis);
    }
    if (head.activation == OutputActivation::kSigmoid && head.kind != TaskKind::kDense)
      activation += " (scores; training uses the values before it)";
  }

  if (head.kind == TaskKind::kCtc) {
    head.blank = c.blank;
    if (head.blank >= head.classes())
      throw TaskError("[teacher] blank = " + std::to_string(c.blank) + " is not a class of the output " + shape);
    if (!c.charset.empty()) {
      // The key file's characters sit after a first blank (PaddleOCR) or
      // before a last one.
      CharsetOptions options;
      options.use_space_char = c.use_space_char;
      if (head.blank == 0) {
        options.blank = BlankPosition::first;
      } else if (head.blank == head.classes() - 1) {
        options.blank = BlankPosition::last;
      } else {
        throw TaskError("[teacher] blank = " + std::to_string(c.blank) + ": with a charset the blank is the first (0) or "
                        "the last class (" + std::to_string(head.classes() - 1) + ") of the output " + shape);
      }
      head.charset = Charset::from_key_file(c.charset, options);
      if (head.charset->classes() != head.classes())
        throw TaskError("[teacher] charset " + c.charset + ": " +
                        std::to_string(head.charset->classes() - 1 - (c.use_space_char ? 1 : 0)) +
                        " characters + blank" + (c.use_space_char ? " + space" : "") + " = " +
                        std::to_string(head.charset->classes()) + " classes, but the teacher's output " + shape +
                        " has " + std::to_string(head.classes()));
    }
  }
  if (head.kind == TaskKind::kDense) {
    head.dense.threshold = c.db_threshold;
    head.dense.box_threshold = c.db_box_threshold;
    head.dense.unclip_ratio = c.db_unclip_ratio;
  }
  head.decision = std::string("task ") + task_name(head.kind) + " (" + how + "output " + shape + ", " + activation +
                  "; metric " + head.metric_name() + ")";
  return head;
}

int logits_value(const TaskHead& head, const ir::Graph& graph) {
  const int output = graph.outputs.at(0);
  if (head.activation == OutputActivation::kNone) return output;
  const int node = final_activation(graph);
  if (node < 0) return output;
  const ir::Node& n = graph.nodes[static_cast<size_t>(node)];
  const bool same = (n.op == "Softmax") == (head.activation == OutputActivation::kSoftmax);
  return same ? n.inputs.at(0) : output;
}

void check_task_data(const TaskHead& head, const data::Dataset& dataset) {
  const data::SplitView* views[] = {&dataset.train, &dataset.validation, &dataset.test};
  for (const data::SplitView* view : views) {
    if (!view->set) continue;
    const data::ImageSet& set = *view->set;
    if (head.kind == TaskKind::kClassify && set.has_classes() && set.num_classes() != head.classes())
      throw TaskError(set.source + ": " + std::to_string(set.num_classes()) + " classes, but the teacher's output [" +
                      std::to_string(head.output_shape[0]) + ", " + std::to_string(head.classes()) + "] has " +
                      std::to_string(head.classes()));
    if (head.kind != TaskKind::kCtc || !set.has_transcripts()) continue;
    if (!head.charset)
      throw TaskError(set.source + ": the data has transcriptions, but [teacher] charset is not set (the key file "
                      "that maps the recognizer's classes to characters)");
    for (int64_t i = 0; i < set.size(); ++i) {
      std::string bad;
      if (!head.charset->encode(set.transcripts[static_cast<size_t>(i)], &bad))
        throw TaskError(set.origin(i) + ": the transcription \"" +
                        set.transcripts[static_cast<size_t>(i)] + "\" has the character '" + bad +
                        "', which is not in the charset " + head.charset->source());
    }
  }
}

}  // namespace bespoke::task
