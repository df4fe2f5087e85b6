<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>AnswerEditor</name>
    <message>
        <source>type the answer (3, 1/2, 1 2; 3 4), Enter to check, Ctrl+H for a hint, Esc to close</source>
        <translation>введите ответ (3, 1/2, 1 2; 3 4): Enter — проверить, Ctrl+H — подсказка, Esc — закрыть</translation>
    </message>
</context>
<context>
    <name>CanvasLegend</name>
    <message>
        <source>blue: value (forward)</source>
        <translation>синий: значение (прямой проход)</translation>
    </message>
    <message>
        <source>red: gradient ∂{output}/∂· (backward)</source>
        <translation>красный: градиент ∂{output}/∂· (обратный проход)</translation>
    </message>
</context>
<context>
    <name>ConnectDrag</name>
    <message>
        <source>drop on an input port to connect</source>
        <translation>отпустите над входом узла, чтобы соединить</translation>
    </message>
    <message>
        <source>connect {source} → {target}, port {port}</source>
        <translation>соединить {source} → {target}, вход {port}</translation>
    </message>
    <message>
        <source>(replaces {source} → {target}, port {port})</source>
        <translation>(вместо {source} → {target}, вход {port})</translation>
    </message>
    <message>
        <source>not connected: {reason}</source>
        <translation>не соединено: {reason}</translation>
    </message>
    <message>
        <source>connected {source} → {target}, port {port}</source>
        <translation>соединено: {source} → {target}, вход {port}</translation>
    </message>
</context>
<context>
    <name>EdgeItem</name>
    <message>
        <source>{source} → {target}, port {port}</source>
        <translation>{source} → {target}, вход {port}</translation>
    </message>
    <message>
        <source>value: {value}</source>
        <translation>значение: {value}</translation>
    </message>
    <message>
        <source>gradient: {gradient}</source>
        <translation>градиент: {gradient}</translation>
    </message>
</context>
<context>
    <name>ExercisePanel</name>
    <message>
        <source>This graph has no exercise text. File ▸ Examples opens one with its exercise; Edit writes one for this graph (it is saved in the file).</source>
        <translation>У этого графа нет текста упражнения. Файл ▸ Примеры открывает граф вместе с упражнением; кнопка «Изменить» позволяет написать текст упражнения для этого графа (он сохраняется в файле).</translation>
    </message>
    <message>
        <source>Title on the first line, then the exercise. A blank line starts a new paragraph; lines starting with - are a list.</source>
        <translation>В первой строке — название, дальше — текст упражнения. Пустая строка начинает новый абзац; строки, начинающиеся с «-», — это список.</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Write or change the exercise text (saved in the file, undoable)</source>
        <translation>Написать или изменить текст упражнения (сохраняется в файле, можно отменить)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Editing the exercise text</source>
        <translation>Правка текста упражнения</translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>not computed</source>
        <translation>не вычислено</translation>
    </message>
    <message>
        <source>hint: {hint}</source>
        <translation>подсказка: {hint}</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n items</source>
        <translation>
            <numerusform>Удалить %n объект</numerusform>
            <numerusform>Удалить %n объекта</numerusform>
            <numerusform>Удалить %n объектов</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot paste: {error}</source>
        <translation>не удалось вставить: {error}</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>hidden (quiz: find it on the canvas)</source>
        <translation>скрыто (тест: найдите на холсте)</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>скаляр</translation>
    </message>
    <message>
        <source>vector</source>
        <translation>вектор</translation>
    </message>
    <message>
        <source>matrix</source>
        <translation>матрица</translation>
    </message>
    <message>
        <source>attribute {name} in the file</source>
        <translation>атрибут {name} в файле</translation>
    </message>
    <message>
        <source>Value and gradient (from the last run)</source>
        <translation>Значение и градиент (по последнему расчёту)</translation>
    </message>
    <message numerus="yes">
        <source>%n nodes selected</source>
        <translation>
            <numerusform>Выбран %n узел</numerusform>
            <numerusform>Выбрано %n узла</numerusform>
            <numerusform>Выбрано %n узлов</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a node or an edge.</source>
        <translation>Выберите узел или ребро.</translation>
    </message>
    <message>
        <source>Drag ops from the palette, or press Tab on the canvas to add one.</source>
        <translation>Чтобы добавить операцию, перетащите её из палитры или нажмите Tab на холсте.</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Узел</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Идентификатор</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Подпись</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Операция</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>Формула</translation>
    </message>
    <message>
        <source>unknown op {op}</source>
        <translation>неизвестная операция {op}</translation>
    </message>
    <message>
        <source>Edge {source} → {target}.{port}</source>
        <translation>Ребро {source} → {target}.{port}</translation>
    </message>
    <message>
        <source>Fractions such as 1/2 are accepted.</source>
        <translation>Можно вводить дроби, например 1/2.</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>строк</translation>
    </message>
    <message>
        <source>cols</source>
        <translation>столбцов</translation>
    </message>
    <message>
        <source>or type: 3, 1/2, 1 2, 1 2; 3 4, [[1, 2], [3, 4]]</source>
        <translation>или введите: 3, 1/2, 1 2, 1 2; 3 4, [[1, 2], [3, 4]]</translation>
    </message>
    <message>
        <source>The graph does not run yet: {error}</source>
        <translation>Граф пока нельзя вычислить: {error}</translation>
    </message>
    <message>
        <source>not computed</source>
        <translation>не вычислено</translation>
    </message>
    <message>
        <source>(shape {shape})</source>
        <translation>(размерность {shape})</translation>
    </message>
    <message>
        <source>gradient (backward, ∂L/∂{source} through this edge):</source>
        <translation>градиент (обратный проход, ∂L/∂{source} по этому ребру):</translation>
    </message>
    <message>
        <source>value (forward):</source>
        <translation>значение (прямой проход):</translation>
    </message>
    <message>
        <source>gradient ∂{output}/∂{node}:</source>
        <translation>градиент ∂{output}/∂{node}:</translation>
    </message>
    <message>
        <source>value:</source>
        <translation>значение:</translation>
    </message>
    <message>
        <source>problems:</source>
        <translation>ошибки:</translation>
    </message>
    <message>
        <source>via {target}.{port}: {gradient}</source>
        <translation>через {target}.{port}: {gradient}</translation>
    </message>
    <message>
        <source>its parts (one per consumer):</source>
        <translation>слагаемые (по одному от каждого узла, который его использует):</translation>
    </message>
</context>
<context>
    <name>InspectorAttrs</name>
    <message>
        <source>alpha</source>
        <translation>α</translation>
    </message>
    <message>
        <source>axis</source>
        <translation>Ось</translation>
    </message>
    <message>
        <source>reduction</source>
        <translation>Агрегирование</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>Множитель</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>размерность</translation>
    </message>
    <message>
        <source>keepdims</source>
        <translation>Сохранять ось</translation>
    </message>
</context>
<context>
    <name>InspectorLeafKinds</name>
    <message>
        <source>input</source>
        <translation>вход</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>параметр</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>константа</translation>
    </message>
</context>
<context>
    <name>Minimap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation>Обзор: щёлкните или перетащите, чтобы сдвинуть вид</translation>
    </message>
</context>
<context>
    <name>NodeItem</name>
    <message>
        <source>not computed yet: {reason}</source>
        <translation>пока не вычислено: {reason}</translation>
    </message>
    <message>
        <source>value: {value}</source>
        <translation>значение: {value}</translation>
    </message>
    <message>
        <source>gradient: {gradient}</source>
        <translation>градиент: {gradient}</translation>
    </message>
    <message>
        <source>shape {dims}</source>
        <translation>размерность {dims}</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Filter ops…</source>
        <translation>Найти операцию…</translation>
    </message>
</context>
<context>
    <name>PaletteGroups</name>
    <message>
        <source>Inputs &amp; parameters</source>
        <translation>Входы и параметры</translation>
    </message>
    <message>
        <source>Arithmetic</source>
        <translation>Арифметика</translation>
    </message>
    <message>
        <source>Matrix</source>
        <translation>Матрицы</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Функции активации</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>Функции потерь</translation>
    </message>
</context>
<context>
    <name>PaletteTooltip</name>
    <message>
        <source>none (a leaf: its value is set in the inspector)</source>
        <translation>нет (лист графа: значение задаётся в инспекторе)</translation>
    </message>
    <message>
        <source>inputs: {ports}</source>
        <translation>входы: {ports}</translation>
    </message>
</context>
<context>
    <name>PortItem</name>
    <message>
        <source>output of {node}</source>
        <translation>выход узла {node}</translation>
    </message>
    <message>
        <source>input port {port} of {node}</source>
        <translation>вход {port} узла {node}</translation>
    </message>
</context>
<context>
    <name>QuickAdd</name>
    <message>
        <source>Add op: type to search, Enter to add</source>
        <translation>Добавить операцию: начните вводить, Enter — добавить</translation>
    </message>
</context>
<context>
    <name>QuizMode</name>
    <message>
        <source>the file&apos;s quiz is ignored: {error}</source>
        <translation>тест из файла пропущен: {error}</translation>
    </message>
    <message>
        <source>nothing to check: the graph does not run</source>
        <translation>нечего проверять: граф нельзя вычислить</translation>
    </message>
    <message>
        <source>right</source>
        <translation>верно</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>неверно</translation>
    </message>
</context>
<context>
    <name>UnitThumbnail</name>
    <message>
        <source>unit {unit} over the input plane (blue negative, white 0, orange positive)</source>
        <translation>нейрон {unit} на плоскости входов (синий — отрицательные, белый — 0, оранжевый — положительные)</translation>
    </message>
</context>
<context>
    <name>UpdateBlank</name>
    <message>
        <source>{name} after update = {blank}</source>
        <translation>{name} после обновления = {blank}</translation>
    </message>
</context>
</TS>
