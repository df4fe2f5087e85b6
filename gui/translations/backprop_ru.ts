<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>EditCommand</name>
    <message>
        <source>Add {op}</source>
        <translation>Добавление узла {op}
добавление узла {op}</translation>
    </message>
    <message>
        <source>Delete {node_id}</source>
        <translation>Удаление узла {node_id}
удаление узла {node_id}</translation>
    </message>
    <message>
        <source>Connect {source} → {target}.{port}</source>
        <translation>Соединение {source} → {target}.{port}
соединение {source} → {target}.{port}</translation>
    </message>
    <message>
        <source>Disconnect {source} → {target}.{port}</source>
        <translation>Разрыв связи {source} → {target}.{port}
разрыв связи {source} → {target}.{port}</translation>
    </message>
    <message>
        <source>Set value of {node_id}</source>
        <translation>Изменение значения {node_id}
изменение значения {node_id}</translation>
    </message>
    <message>
        <source>Set {name} of {node_id}</source>
        <translation>Изменение атрибута {name} узла {node_id}
изменение атрибута {name} узла {node_id}</translation>
    </message>
    <message>
        <source>Rename {node_id}</source>
        <translation>Переименование {node_id}
переименование {node_id}</translation>
    </message>
    <message>
        <source>Make {node_id} a {op}</source>
        <translation>Замена операции {node_id} на {op}
замену операции {node_id} на {op}</translation>
    </message>
    <message>
        <source>Set initialiser of {node_id}</source>
        <translation>Изменение инициализации {node_id}
изменение инициализации {node_id}</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Перемещение
перемещение</translation>
    </message>
    <message>
        <source>Edit description</source>
        <translation>Изменение условия упражнения
изменение условия упражнения</translation>
    </message>
    <message>
        <source>Edit dataset</source>
        <translation>Изменение набора данных
изменение набора данных</translation>
    </message>
    <message>
        <source>Edit training</source>
        <translation>Изменение настроек обучения
изменение настроек обучения</translation>
    </message>
    <message>
        <source>Edit quiz</source>
        <translation>Изменение теста
изменение теста</translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>Непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Your graph is still open; saving it is safe. Please report this error.</source>
        <translation>Граф по-прежнему открыт, его можно спокойно сохранить. Пожалуйста, сообщите об этой ошибке.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Backprop Studio graphs (*.json);;All files (*)</source>
        <translation>Графы Backprop Studio (*.json);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Each hidden unit&apos;s activation over the input plane, under its node (blue negative, white 0, orange positive). Only for a graph whose dataset input has two features: other graphs have no plane to show.</source>
        <translation>Активация каждого скрытого нейрона на плоскости входов, под его узлом (синий — отрицательные значения, белый — 0, оранжевый — положительные). Только для графа, у которого вход из набора данных имеет два признака: у других графов нет плоскости, которую можно показать.</translation>
    </message>
    <message>
        <source>The new language takes effect when Backprop Studio is started again.</source>
        <translation>Новый язык будет применён при следующем запуске Backprop Studio.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Запуск</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Настройки</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>Соз&amp;дать</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Открыть…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Недавние файлы</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>&amp;Примеры</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Сохранить &amp;как…</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Вернуть сохранённое</translation>
    </message>
    <message>
        <source>&amp;Export Image…</source>
        <translation>Экспорт &amp;изображения…</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>&amp;Экспорт</translation>
    </message>
    <message>
        <source>&amp;PyTorch…</source>
        <translation>&amp;PyTorch…</translation>
    </message>
    <message>
        <source>&amp;ONNX…</source>
        <translation>&amp;ONNX…</translation>
    </message>
    <message>
        <source>&amp;Import Model…</source>
        <translation>Импорт &amp;модели…</translation>
    </message>
    <message>
        <source>Make Exercise &amp;Variants…</source>
        <translation>Создать варианты &amp;упражнения…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Вы&amp;ход</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Повторить</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Вырезать</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Копировать</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>Вст&amp;авить</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>&amp;Дублировать</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>В&amp;ыделить всё</translation>
    </message>
    <message>
        <source>&amp;Add Op…</source>
        <translation>До&amp;бавить операцию…</translation>
    </message>
    <message>
        <source>Tab on the canvas</source>
        <translation>Tab на холсте</translation>
    </message>
    <message>
        <source>&amp;Quiz</source>
        <translation>&amp;Тест</translation>
    </message>
    <message>
        <source>&amp;Fit to View</source>
        <translation>&amp;Вписать в окно</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Увеличить</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>У&amp;меньшить</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>&amp;Расставить автоматически</translation>
    </message>
    <message>
        <source>&amp;Snap to Grid</source>
        <translation>&amp;Привязка к сетке</translation>
    </message>
    <message>
        <source>Show &amp;Values</source>
        <translation>Показывать &amp;значения</translation>
    </message>
    <message>
        <source>Show &amp;Gradients</source>
        <translation>Показывать &amp;градиенты</translation>
    </message>
    <message>
        <source>&amp;Unit Thumbnails on the Canvas</source>
        <translation>&amp;Карты нейронов на холсте</translation>
    </message>
    <message>
        <source>Significant &amp;Digits…</source>
        <translation>&amp;Число значащих цифр…</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>&amp;Сбросить расположение панелей</translation>
    </message>
    <message>
        <source>&amp;Message Log…</source>
        <translation>&amp;Журнал сообщений…</translation>
    </message>
    <message>
        <source>&amp;Run Forward and Backward</source>
        <translation>&amp;Прямой и обратный проход</translation>
    </message>
    <message>
        <source>Re-run the graph live</source>
        <translation>Снова пересчитывать граф при каждом изменении</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>&amp;Legend and Shortcuts</source>
        <translation>&amp;Условные обозначения и клавиши</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;О программе</translation>
    </message>
    <message>
        <source>File and view</source>
        <translation>Файл и вид</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Запуск</translation>
    </message>
    <message>
        <source>Fit to View</source>
        <comment>toolbar button</comment>
        <translation>Вписать</translation>
    </message>
    <message>
        <source>Auto Layout</source>
        <comment>toolbar button</comment>
        <translation>Расставить</translation>
    </message>
    <message>
        <source>Show Values</source>
        <comment>toolbar button</comment>
        <translation>Значения</translation>
    </message>
    <message>
        <source>Show Gradients</source>
        <comment>toolbar button</comment>
        <translation>Градиенты</translation>
    </message>
    <message>
        <source>Run Forward and Backward</source>
        <comment>toolbar button</comment>
        <translation>Пересчитать</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>Палитра</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Инспектор</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;файл открыт&gt;</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>Упражнение</translation>
    </message>
    <message>
        <source>value (forward)</source>
        <translation>значение (прямой проход)</translation>
    </message>
    <message>
        <source>gradient (backward)</source>
        <translation>градиент (обратный проход)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Без имени</translation>
    </message>
    <message>
        <source>stepping…</source>
        <translation>пошаговый проход…</translation>
    </message>
    <message>
        <source>(not live)</source>
        <translation>(пересчёт приостановлен)</translation>
    </message>
    <message>
        <source>empty graph</source>
        <translation>граф пуст</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <source>The graph has unsaved changes. Save them?</source>
        <translation>В графе есть несохранённые изменения. Сохранить их?</translation>
    </message>
    <message>
        <source>Open graph</source>
        <translation>Открыть граф</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>Не удалось открыть файл</translation>
    </message>
    <message>
        <source>{name} (example)</source>
        <translation>{name} (пример)</translation>
    </message>
    <message>
        <source>opened {path}</source>
        <translation>открыт файл {path}</translation>
    </message>
    <message>
        <source>Save graph</source>
        <translation>Сохранить граф</translation>
    </message>
    <message>
        <source>Cannot save the file</source>
        <translation>Не удалось сохранить файл</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>сохранено в {path}</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Вернуть сохранённое</translation>
    </message>
    <message>
        <source>Discard the changes and reload {name}?</source>
        <translation>Отменить изменения и заново загрузить {name}?</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Очистить список</translation>
    </message>
    <message>
        <source>{stem} — {description}</source>
        <translation>{file} — {description}</translation>
    </message>
    <message>
        <source>(no examples in {folder})</source>
        <translation>(в папке {folder} нет примеров)</translation>
    </message>
    <message>
        <source>Export image</source>
        <translation>Экспорт изображения</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>Изображение PNG (*.png);;Изображение SVG (*.svg)</translation>
    </message>
    <message>
        <source>Cannot export the image</source>
        <translation>Не удалось экспортировать изображение</translation>
    </message>
    <message>
        <source>exported {path}</source>
        <translation>изображение сохранено в {path}</translation>
    </message>
    <message>
        <source>autosave failed: {error}</source>
        <translation>автосохранение не удалось: {error}</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>Не удалось восстановить</translation>
    </message>
    <message>
        <source>an autosaved graph could not be read; it is kept as {names}</source>
        <translation>автоматически сохранённый граф не удалось прочитать; файл оставлен под именем {names}</translation>
    </message>
    <message>
        <source>{error}; the autosave is kept as {kept}</source>
        <translation>{error}; файл автосохранения оставлен под именем {kept}</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>Восстановить несохранённую работу?</translation>
    </message>
    <message>
        <source>Backprop Studio did not close normally. Restore the graph autosaved before that (from {document})?</source>
        <translation>Программа Backprop Studio в прошлый раз закрылась аварийно. Восстановить граф, сохранённый автоматически до сбоя (файл {document})?</translation>
    </message>
    <message>
        <source>Backprop Studio did not close normally. Restore the graph autosaved before that?</source>
        <translation>Программа Backprop Studio в прошлый раз закрылась аварийно. Восстановить граф, сохранённый автоматически до сбоя?</translation>
    </message>
    <message>
        <source>Significant digits</source>
        <translation>Значащие цифры</translation>
    </message>
    <message>
        <source>Digits shown:</source>
        <translation>Сколько значащих цифр показывать:</translation>
    </message>
    <message>
        <source>Legend and shortcuts</source>
        <translation>Условные обозначения и клавиши</translation>
    </message>
    <message>
        <source>Blue numbers: the value flowing forward along an edge.
Red numbers: the gradient ∂L/∂(source) flowing back along it.
A red outline marks a problem; hover it for the reason.

Drag an op from the palette, or press Tab on the canvas to add one.
Drag from an output port (right) to an input port (left) to connect.
Wheel: zoom.  Middle button or Shift+Space+drag: pan.  Ctrl+0: fit.
Ctrl+L: auto layout.  Delete: remove.  Ctrl+D: duplicate.
Ctrl+Z / Ctrl+Shift+Z: undo / redo.  F5: run again.</source>
        <translation>Синие числа: значение, которое идёт по ребру вперёд.
Красные числа: градиент ∂L/∂(источник), который идёт по нему обратно.
Красная обводка отмечает ошибку; наведите на неё указатель, чтобы узнать причину.

Чтобы добавить операцию, перетащите её из палитры или нажмите Tab на холсте.
Чтобы соединить узлы, тяните от выхода (справа) ко входу (слева).
Колесо мыши: масштаб.  Средняя кнопка или Shift+Space и перетаскивание: сдвиг.  Ctrl+0: вписать в окно.
Ctrl+L: расставить автоматически.  Delete: удалить.  Ctrl+D: дублировать.
Ctrl+Z / Ctrl+Shift+Z: отменить / повторить.  F5: пересчитать.</translation>
    </message>
    <message>
        <source>About Backprop Studio</source>
        <translation>О программе Backprop Studio</translation>
    </message>
    <message>
        <source>Backprop Studio: build computation graphs and watch backpropagation.</source>
        <translation>Backprop Studio: стройте графы вычислений и смотрите, как работает алгоритм обратного распространения ошибки.</translation>
    </message>
</context>
<context>
    <name>MessageLog</name>
    <message>
        <source>Message log</source>
        <translation>Журнал сообщений</translation>
    </message>
</context>
<context>
    <name>ModelBridge</name>
    <message>
        <source>shapes do not fit: {problem}</source>
        <translation>размерности не подходят: {problem}</translation>
    </message>
</context>
<context>
    <name>QuizMenu</name>
    <message>
        <source>select a computed node</source>
        <translation>выделите вычисляемый узел</translation>
    </message>
    <message>
        <source>select a parameter</source>
        <translation>выделите параметр</translation>
    </message>
    <message>
        <source>select a node or an edge</source>
        <translation>выделите узел или ребро</translation>
    </message>
    <message>
        <source>Hide the &amp;Value of the Selected Node</source>
        <translation>Скрыть &amp;значение выделенного узла</translation>
    </message>
    <message>
        <source>Hide the &amp;Gradient of the Selected Node or Edge</source>
        <translation>Скрыть &amp;градиент выделенного узла или ребра</translation>
    </message>
    <message>
        <source>Hide the &amp;Update of the Selected Parameter</source>
        <translation>Скрыть &amp;обновление выделенного параметра</translation>
    </message>
    <message>
        <source>&amp;Show the Selected Again</source>
        <translation>&amp;Снова показать выделенное</translation>
    </message>
    <message>
        <source>Hide All Values</source>
        <translation>Скрыть все значения</translation>
    </message>
    <message>
        <source>Hide All Gradients</source>
        <translation>Скрыть все градиенты</translation>
    </message>
    <message>
        <source>Hide All Updates</source>
        <translation>Скрыть все обновления</translation>
    </message>
    <message>
        <source>&amp;Tolerance…</source>
        <translation>&amp;Допуск…</translation>
    </message>
    <message>
        <source>Offer &amp;Hints</source>
        <translation>Предлагать &amp;подсказки</translation>
    </message>
    <message>
        <source>&amp;Remove the Quiz</source>
        <translation>&amp;Удалить тест</translation>
    </message>
    <message>
        <source>S&amp;core</source>
        <translation>&amp;Результат</translation>
    </message>
    <message>
        <source>Save &amp;Answers as CSV…</source>
        <translation>Сохранить о&amp;тветы в CSV…</translation>
    </message>
    <message>
        <source>&amp;Leave Quiz Mode (Show the Numbers)</source>
        <translation>&amp;Выйти из режима теста (показать числа)</translation>
    </message>
    <message>
        <source>{status} · quiz: {score}</source>
        <translation>{status} · тест: {score}</translation>
    </message>
    <message>
        <source>Quiz tolerance</source>
        <translation>Допуск теста</translation>
    </message>
    <message>
        <source>An answer is right within (relative to the number, at least absolute):</source>
        <translation>Допустимая ошибка ответа (относительная; для чисел меньше 1 по модулю — абсолютная):</translation>
    </message>
    <message>
        <source>Save answers</source>
        <translation>Сохранить ответы</translation>
    </message>
    <message>
        <source>Cannot save the answers</source>
        <translation>Не удалось сохранить ответы</translation>
    </message>
    <message>
        <source>answers saved to {path}</source>
        <translation>ответы сохранены в {path}</translation>
    </message>
    <message>
        <source>Leave quiz mode</source>
        <translation>Выйти из режима теста</translation>
    </message>
    <message>
        <source>Show the hidden numbers? The saved answers will record that quiz mode was left.</source>
        <translation>Показать скрытые числа? В сохранённых ответах будет записано, что вы вышли из режима теста.</translation>
    </message>
</context>
</TS>
