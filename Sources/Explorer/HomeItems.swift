import Transformer

/// What the home screen offers, in order: explore the open model, each lesson, each model.
enum HomeItem {
    case explore
    case lesson(LessonEntry)
    case model(ModelCatalog.Entry)
}

extension AppState {
    var homeItems: [HomeItem] {
        [.explore] + lessons.map { .lesson($0) } + models.map { .model($0) }
    }
}
