// What a dataset's labels are, i.e. what the teacher's task needs from the
// data (the task itself is resolved by house/teacher_data.cpp):
//  * kClasses: a class index per image, from class sub-folders (image_folder.h)
//    or Fashion-MNIST; a folder without class sub-folders is accepted too and
//    gives unlabelled images (label -1), enough for distillation;
//  * kText: a transcription per image, from PaddleOCR recognition label files
//    ("path<TAB>text", ppocr_labels.h), for a CTC text recognizer;
//  * kBoxes: text regions (polygons) per image, from PaddleOCR detection label
//    files ("path<TAB>[{"transcription": ..., "points": ...}]"), for a text
//    detector.
// kText and kBoxes folders without a label file give unlabelled images.
#pragma once

namespace bespoke::data {

enum class LabelKind { kClasses, kText, kBoxes };

// "classes", "text", "boxes": for messages.
inline const char* label_kind_name(LabelKind kind) {
  switch (kind) {
    case LabelKind::kClasses: return "classes";
    case LabelKind::kText: return "text";
    case LabelKind::kBoxes: return "boxes";
  }
  return "?";
}

}  // namespace bespoke::data
